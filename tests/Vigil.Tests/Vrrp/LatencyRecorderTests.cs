using Vigil.Vrrp;

namespace Vigil.Tests.Vrrp;

public class LatencyRecorderTests
{
    [Fact]
    public void Quantile_NoSamples_IsNull() => Assert.Null(new LatencyRecorder().Quantile(0.5));

    [Fact]
    public void Quantile_IsNearestRank()
    {
        var r = new LatencyRecorder();
        for (var ms = 1; ms <= 100; ms++)
        {
            r.Record(TimeSpan.FromMilliseconds(ms));
        }
        Assert.Equal(0.050, r.Quantile(0.5)!.Value, 6);
        Assert.Equal(0.099, r.Quantile(0.99)!.Value, 6);
        Assert.Equal(0.100, r.Quantile(1)!.Value, 6);
        Assert.Equal(100, r.Count);
    }

    [Fact]
    public void Ring_KeepsOnlyTheNewestSamples()
    {
        var r = new LatencyRecorder(capacity: 4);
        foreach (var ms in new[] { 500, 500, 500, 500, 1, 2, 3, 4 })
        {
            r.Record(TimeSpan.FromMilliseconds(ms));
        }
        Assert.Equal(0.004, r.Quantile(1)!.Value, 6);
    }
}
