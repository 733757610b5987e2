using Vigil.Vrrp.Tracking;

namespace Vigil.Vrrp.Tests.Tracking;

public class VrrpTrackerSetTests
{
    private static VrrpTrackerBinding S(string name, int weight, bool reverse = false) => new(VrrpTrackerKind.Script, name, weight, reverse);

    [Fact]
    public void Compute_NegativeWeightScriptFails_LowersPriority()
    {
        var set = new VrrpTrackerSet(100, [S("chk", -30)], false, false);
        Assert.Equal(new VrrpPriorityResult(100, false), set.Compute());
        Assert.True(set.Set(VrrpTrackerKind.Script, "chk", false));
        Assert.Equal(new VrrpPriorityResult(70, false), set.Compute());
        Assert.False(set.Set(VrrpTrackerKind.Script, "chk", false));
    }

    [Fact]
    public void Compute_UnweightedFails_Fault()
    {
        var set = new VrrpTrackerSet(100, [S("chk", 0), new(VrrpTrackerKind.Interface, "eth1", 0, false)], false, false);
        set.Set(VrrpTrackerKind.Interface, "eth1", false);
        Assert.True(set.Compute().Fault);
        set.Set(VrrpTrackerKind.Interface, "eth1", true);
        Assert.False(set.Compute().Fault);
    }

    [Fact]
    public void Create_SyncGroupMember_DropsWeightedTrackers()
    {
        var ignored = new List<(string, string)>();
        var set = new VrrpTrackerSet(100, [S("w", -30), S("f", 0)], inSyncGroup: true, syncGroupTrackingWeight: false, (b, why) => ignored.Add((b.Name, why)));
        Assert.Equal([("w", "SYNC group")], ignored);
        Assert.False(set.Uses(VrrpTrackerKind.Script, "w"));
        set.Set(VrrpTrackerKind.Script, "w", false);
        Assert.Equal(100, set.Compute().Priority);
    }

    [Fact]
    public void Create_SyncGroupTrackingWeight_KeepsWeights()
    {
        var set = new VrrpTrackerSet(100, [S("w", -30)], inSyncGroup: true, syncGroupTrackingWeight: true);
        set.Set(VrrpTrackerKind.Script, "w", false);
        Assert.Equal(70, set.Compute().Priority);
    }

    [Fact]
    public void Create_AddressOwner_DropsWeightedKeepsFaultTrackers()
    {
        var ignored = new List<string>();
        var set = new VrrpTrackerSet(255, [S("w", 10), S("f", 0)], false, false, (_, why) => ignored.Add(why));
        Assert.Equal(["address_owner"], ignored);
        set.Set(VrrpTrackerKind.Script, "f", false);
        Assert.Equal(new VrrpPriorityResult(255, true), set.Compute());
    }

    [Fact]
    public void Set_UnknownTracker_Ignored()
    {
        var set = new VrrpTrackerSet(100, [S("a", 5)], false, false);
        Assert.False(set.Set(VrrpTrackerKind.File, "a", false));
        Assert.Equal(105, set.Compute().Priority);
    }
}

public class VrrpTrackerSetFileTests
{
    private static VrrpTrackerBinding F(string name, int weight, bool reverse = false) => new(VrrpTrackerKind.File, name, weight, reverse);

    [Theory]
    [InlineData(1, false, 10, 110, false)]
    [InlineData(2, false, -10, 80, false)]
    [InlineData(2, true, -10, 120, false)]
    [InlineData(1, false, -254, 1, true)]
    [InlineData(0, false, 5, 100, true)]
    [InlineData(0, false, 0, 100, false)]
    public void SetValue_ValueTimesWeight(int weight, bool reverse, int value, int priority, bool fault)
    {
        var set = new VrrpTrackerSet(100, [F("f", weight, reverse)], false, false);
        set.SetValue("f", value);
        Assert.Equal(new VrrpPriorityResult(priority, fault), set.Compute());
    }

    [Fact]
    public void Compute_FileAndScript_SummedThenClampedOnce()
    {
        var set = new VrrpTrackerSet(200, [F("f", 1), new(VrrpTrackerKind.Script, "s", 100, false)], false, false);
        set.SetValue("f", -100);
        Assert.Equal(200, set.Compute().Priority);
    }
}
