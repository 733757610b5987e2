using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Vigil.Checks.Options;
using Vigil.Checks.Runner;
using Vigil.Checks.Tests.Fakes;

namespace Vigil.Checks.Tests.Runner;

public class CheckerCountersTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<HealthEvent> _events = new();
    private static readonly CheckTiming Timing = new(TimeSpan.FromSeconds(1), 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.Zero);

    [Fact]
    public async Task Counters_ByCheckerKeyword_CountPassesFailuresAndProbeTime()
    {
        await using var runner = new CheckRunner(_time, new Random(1), _events.Enqueue);
        var tcp1 = new ScriptedProbe(_time);
        var tcp2 = new ScriptedProbe(_time);
        var http = new ScriptedProbe(_time) { Default = CheckResult.Fail("503") };
        runner.Add(new("vs", "a"), 1, [new("TCP_CHECK", Timing, tcp1), new("TCP_CHECK#2", Timing, tcp2)]);
        runner.Add(new("vs", "b"), 1, [new("HTTP_GET", Timing, http)]);
        runner.Start();
        _time.Advance(TimeSpan.Zero);
        _time.Advance(TimeSpan.FromSeconds(5));

        var totals = runner.Counters.Snapshot();
        Assert.Equal(["HTTP_GET", "TCP_CHECK"], totals.Select(t => t.Checker));
        Assert.Equal((0L, 2L), (totals[0].Passed, totals[0].Failed));
        Assert.Equal((4L, 0L), (totals[1].Passed, totals[1].Failed));
        Assert.Equal(runner.Runs, totals.Sum(t => t.Passed + t.Failed));
    }

    [Fact]
    public async Task Counters_ProbeThatHangs_CountsTheTimeUntilTheRunnerGivesUp()
    {
        await using var runner = new CheckRunner(_time, new Random(1), _events.Enqueue);
        var hangs = new BadProbe(throws: false);
        runner.Add(new("vs", "a"), 1, [new("SMTP_CHECK", Timing, hangs)]);
        runner.Start();
        _time.Advance(TimeSpan.Zero);
        _time.Advance(Timing.ConnectTimeout + CheckRunner.ProbeGrace);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (runner.Counters.Snapshot().Count == 0 && DateTime.UtcNow < deadline) await Task.Yield();

        var total = Assert.Single(runner.Counters.Snapshot());
        Assert.Equal(("SMTP_CHECK", 0L, 1L), (total.Checker, total.Passed, total.Failed));
        Assert.Equal(Timing.ConnectTimeout + CheckRunner.ProbeGrace, total.Time);
    }
}
