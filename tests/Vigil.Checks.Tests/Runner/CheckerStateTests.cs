using Vigil.Checks.Options;
using Vigil.Checks.Runner;

namespace Vigil.Checks.Tests.Runner;

public class CheckerStateTests
{
    private static readonly CheckTiming Timing = new(TimeSpan.FromSeconds(2), 2, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));

    [Fact]
    public void Apply_FailureWhileUp_RetriesThenGoesDown()
    {
        var s = new CheckerState("c", Timing);
        Assert.False(s.Apply(CheckResult.Ok).Changed);

        var first = s.Apply(CheckResult.Fail("x"));
        Assert.Equal(new CheckStep(TimeSpan.FromSeconds(3), false, true), first);
        var second = s.Apply(CheckResult.Fail("x"));
        Assert.Equal(new CheckStep(TimeSpan.FromSeconds(3), false, true), second);
        Assert.True(s.IsUp);

        var third = s.Apply(CheckResult.Fail("y"));
        Assert.Equal(new CheckStep(TimeSpan.FromSeconds(10), true, false), third);
        Assert.False(s.IsUp);
        Assert.Equal("y", s.LastFailure);
    }

    [Fact]
    public void Apply_SuccessDuringRetries_ResetsTheRetryCount()
    {
        var s = new CheckerState("c", Timing);
        s.Apply(CheckResult.Ok);
        s.Apply(CheckResult.Fail("x"));
        s.Apply(CheckResult.Fail("x"));
        s.Apply(CheckResult.Ok);
        Assert.Equal(0, s.RetriesUsed);
        Assert.True(s.Apply(CheckResult.Fail("x")).WillRetry);
    }

    [Fact]
    public void Apply_OneSuccessWhileDown_GoesUp()
    {
        var s = new CheckerState("c", Timing with { Alpha = true });
        Assert.False(s.IsUp);
        var failed = s.Apply(CheckResult.Fail("x"));
        Assert.Equal(new CheckStep(TimeSpan.FromSeconds(10), false, false), failed);
        var step = s.Apply(CheckResult.Ok);
        Assert.True(step.Changed);
        Assert.True(s.IsUp);
        Assert.Equal(TimeSpan.FromSeconds(10), step.NextDelay);
    }

    [Fact]
    public void Apply_FirstRunFails_GoesDownWithoutRetrying()
    {
        var s = new CheckerState("c", Timing);
        var step = s.Apply(CheckResult.Fail("refused"));
        Assert.True(step.Changed);
        Assert.False(s.IsUp);
    }

    [Fact]
    public void Apply_RetryZero_GoesDownOnTheFirstFailure()
    {
        var s = new CheckerState("c", Timing with { Retry = 0 });
        s.Apply(CheckResult.Ok);
        Assert.True(s.Apply(CheckResult.Fail("x")).Changed);
    }

    [Fact]
    public void FirstDelay_StaysWithinWarmup()
    {
        var s = new CheckerState("c", Timing with { Warmup = TimeSpan.FromSeconds(4) });
        var random = new Random(42);
        var delays = Enumerable.Range(0, 200).Select(_ => s.FirstDelay(random)).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(4)));
        Assert.True(delays.Max() > TimeSpan.FromSeconds(3), "jitter should spread over the warmup");
    }

    [Fact]
    public void FirstDelay_NoWarmup_UsesDelayLoop()
    {
        var s = new CheckerState("c", Timing);
        var random = new Random(1);
        var delays = Enumerable.Range(0, 200).Select(_ => s.FirstDelay(random)).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(10)));
        Assert.True(delays.Max() > TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void FirstDelay_ZeroWarmup_IsImmediate()
    {
        var s = new CheckerState("c", Timing with { Warmup = TimeSpan.Zero });
        Assert.Equal(TimeSpan.Zero, s.FirstDelay(new Random(3)));
    }

    [Theory]
    [InlineData(CheckerKind.HttpGet, 1, 3)]
    [InlineData(CheckerKind.SslGet, 1, 3)]
    [InlineData(CheckerKind.Tcp, 1, 1)]
    [InlineData(CheckerKind.Misc, 0, 1)]
    public void CheckDefaults_For_MatchesKeepalived(CheckerKind kind, int retry, int delayBeforeRetrySeconds)
    {
        var t = CheckDefaults.For(kind);
        Assert.Equal(retry, t.Retry);
        Assert.Equal(TimeSpan.FromSeconds(delayBeforeRetrySeconds), t.DelayBeforeRetry);
        Assert.Equal(TimeSpan.FromSeconds(60), t.DelayLoop);
        Assert.Equal(TimeSpan.FromSeconds(60), t.EffectiveWarmup);
    }

    [Fact]
    public void CheckDefaults_Dns_RetriesThreeTimesDelayLoopApart()
    {
        var t = CheckDefaults.For(CheckerKind.Dns, TimeSpan.FromSeconds(7));
        Assert.Equal(3, t.Retry);
        Assert.Equal(TimeSpan.FromSeconds(7), t.DelayBeforeRetry);
        Assert.Equal(TimeSpan.FromSeconds(5), t.ConnectTimeout);
    }
}

public class CheckerStatePendingTests
{
    [Fact]
    public void Apply_Pending_DecidesNothingAndWaitsDelayLoop()
    {
        var s = new CheckerState("c", new CheckTiming(TimeSpan.FromSeconds(1), 1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(9), Alpha: true));
        Assert.Equal(new CheckStep(TimeSpan.FromSeconds(9), false, false), s.Apply(CheckResult.InProgress));
        Assert.False(s.IsUp);
        Assert.False(s.HasRun);
    }
}
