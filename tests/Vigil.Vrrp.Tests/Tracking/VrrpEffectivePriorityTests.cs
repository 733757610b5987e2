using Vigil.Vrrp.Tracking;

namespace Vigil.Vrrp.Tests.Tracking;

public class VrrpEffectivePriorityTests
{
    private static VrrpTrackerState T(int weight, bool up, bool reverse = false) => new("t", weight, reverse, up);

    [Theory]
    [InlineData(20, true, false, 120)]
    [InlineData(20, false, false, 100)]
    [InlineData(-30, false, false, 70)]
    [InlineData(-30, true, false, 100)]
    [InlineData(20, false, true, 120)]
    [InlineData(-30, true, true, 70)]
    public void Compute_OneWeightedTracker_AddsPerKeepalivedRules(int weight, bool up, bool reverse, int expected)
    {
        Assert.Equal(new VrrpPriorityResult(expected, false), VrrpEffectivePriority.Compute(100, [T(weight, up, reverse)]));
    }

    [Fact]
    public void Compute_SumsBeyondRange_ClampedTo1And254()
    {
        Assert.Equal(254, VrrpEffectivePriority.Compute(200, [T(100, true)]).Priority);
        Assert.Equal(1, VrrpEffectivePriority.Compute(50, [T(-100, false)]).Priority);
    }

    [Fact]
    public void Compute_Owner_Stays255ButFaults()
    {
        Assert.Equal(new VrrpPriorityResult(255, true), VrrpEffectivePriority.Compute(255, [T(-50, false), T(0, false)]));
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    [InlineData(false, true, false)]
    public void Compute_WeightZero_FaultWhenEffectivelyDown(bool up, bool reverse, bool fault)
    {
        Assert.Equal(fault, VrrpEffectivePriority.Compute(100, [T(0, up, reverse)]).Fault);
    }

    [Fact]
    public void Compute_NoTrackers_BasePriority()
    {
        Assert.Equal(new VrrpPriorityResult(100, false), VrrpEffectivePriority.Compute(100, []));
    }
}
