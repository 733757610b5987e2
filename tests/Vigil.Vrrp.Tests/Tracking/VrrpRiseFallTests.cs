using Vigil.Vrrp.Tracking;

namespace Vigil.Vrrp.Tests.Tracking;

public class VrrpRiseFallTests
{
    [Fact]
    public void Record_FallFailuresInARow_GoesDown()
    {
        var rf = new VrrpRiseFall(rise: 2, fall: 3, initFail: false);
        Assert.True(rf.Up);
        Assert.False(rf.Record(false));
        Assert.False(rf.Record(false));
        Assert.True(rf.Up);
        Assert.True(rf.Record(false));
        Assert.False(rf.Up);
    }

    [Fact]
    public void Record_SuccessBetweenFailures_ResetsTheStreak()
    {
        var rf = new VrrpRiseFall(1, 2, false);
        rf.Record(false);
        rf.Record(true);
        rf.Record(false);
        Assert.True(rf.Up);
        rf.Record(false);
        Assert.False(rf.Up);
    }

    [Fact]
    public void Record_InitFail_StartsDownAndNeedsRiseSuccesses()
    {
        var rf = new VrrpRiseFall(rise: 2, fall: 1, initFail: true);
        Assert.False(rf.Up);
        Assert.False(rf.Record(true));
        Assert.True(rf.Record(true));
        Assert.True(rf.Up);
    }
}
