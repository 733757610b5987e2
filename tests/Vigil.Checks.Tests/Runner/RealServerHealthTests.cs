using Vigil.Checks.Options;
using Vigil.Checks.Runner;

namespace Vigil.Checks.Tests.Runner;

public class RealServerHealthTests
{
    private static readonly RealServerId Id = new("vs", "rs");
    private static readonly CheckTiming NoRetry = new(TimeSpan.FromSeconds(1), 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

    private static RealServerHealth Server(int weight, params CheckTiming[] timings) =>
        new(Id, weight, [.. timings.Select((t, i) => new CheckerState("c" + i, t))]);

    [Fact]
    public void Apply_OneOfTwoCheckersDown_ServerDownUntilBothUp()
    {
        var s = Server(1, NoRetry, NoRetry);
        Assert.True(s.IsAlive);

        var down = s.Apply(0, CheckResult.Fail("refused"), out _);
        Assert.Contains(down, e => e is RealServerDown { Checker: "c0", Reason: "refused" });
        Assert.False(s.IsAlive);

        var stillDown = s.Apply(1, CheckResult.Fail("timeout"), out _);
        Assert.DoesNotContain(stillDown, e => e is RealServerDown);
        Assert.Contains(stillDown, e => e is CheckerStateChanged { Checker: "c1", IsUp: false });

        Assert.DoesNotContain(s.Apply(0, CheckResult.Ok, out _), e => e is RealServerUp);
        Assert.False(s.IsAlive);
        var up = s.Apply(1, CheckResult.Ok, out _);
        Assert.Contains(up, e => e is RealServerUp { Weight: 1 });
        Assert.True(s.IsAlive);
    }

    [Fact]
    public void Constructor_AlphaChecker_StartsDead()
    {
        var s = Server(1, NoRetry, NoRetry with { Alpha = true });
        Assert.False(s.IsAlive);
        Assert.Contains(s.Apply(1, CheckResult.Ok, out _), e => e is RealServerUp);
    }

    [Fact]
    public void Apply_MiscDynamicWeight_SetsWeightToCodeMinusTwo()
    {
        var s = Server(5, NoRetry);
        var events = s.Apply(0, new CheckResult(true, DynamicWeight: 10), out _);
        Assert.Equal(new WeightChanged(Id, 5, 10), Assert.Single(events));
        Assert.Equal(10, s.Weight);
        Assert.Empty(s.Apply(0, new CheckResult(true, DynamicWeight: 10), out _));
        s.Apply(0, new CheckResult(true, DynamicWeight: 20), out _);
        Assert.Equal(20, s.Weight);
    }

    [Fact]
    public void Apply_TwoDynamicMiscCheckers_AddTheirDifferences()
    {
        var s = Server(3, NoRetry, NoRetry);
        s.Apply(0, new CheckResult(true, DynamicWeight: 5), out _);
        s.Apply(1, new CheckResult(true, DynamicWeight: 4), out _);
        Assert.Equal(3 + (5 - 3) + (4 - 3), s.Weight);
    }

    [Fact]
    public void Apply_FileAdjustment_AddsToWeightAndNeverBelowZero()
    {
        var s = Server(2, NoRetry);
        s.Apply(0, new CheckResult(true, WeightAdjustment: 8), out _);
        Assert.Equal(10, s.Weight);
        s.Apply(0, new CheckResult(true, WeightAdjustment: -50), out _);
        Assert.Equal(0, s.Weight);
    }

    [Fact]
    public void Apply_RetriedFailure_ReportsCheckFailedWithRetry()
    {
        var s = Server(1, NoRetry with { Retry = 1 });
        s.Apply(0, CheckResult.Ok, out _);
        var events = s.Apply(0, CheckResult.Fail("slow"), out var next);
        Assert.Equal(new CheckFailed(Id, "c0", "slow", true), Assert.Single(events));
        Assert.Equal(TimeSpan.FromSeconds(1), next);
    }

    [Fact]
    public void Apply_FailureWhileDown_SilentUnlessLogAllFailures()
    {
        var quiet = Server(1, NoRetry);
        quiet.Apply(0, CheckResult.Fail("a"), out _);
        Assert.Empty(quiet.Apply(0, CheckResult.Fail("b"), out _));

        var loud = Server(1, NoRetry with { LogAllFailures = true });
        loud.Apply(0, CheckResult.Fail("a"), out _);
        Assert.Equal(new CheckFailed(Id, "c0", "b", false), Assert.Single(loud.Apply(0, CheckResult.Fail("b"), out _)));
    }
}
