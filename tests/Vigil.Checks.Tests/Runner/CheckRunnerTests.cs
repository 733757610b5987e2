using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Vigil.Checks.Options;
using Vigil.Checks.Runner;
using Vigil.Checks.Tests.Fakes;

namespace Vigil.Checks.Tests.Runner;

public class CheckRunnerTests
{
    private static readonly RealServerId Id = new("vs", "rs1");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<HealthEvent> _events = new();

    private CheckRunner NewRunner(int slots = 16) => new(_time, new Random(7), e => _events.Enqueue(e), slots);

    private static CheckTiming Timing(int retry = 2, int warmupSeconds = 0) =>
        new(TimeSpan.FromSeconds(3), retry, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(warmupSeconds));

    private void Advance(TimeSpan by, int steps = 1)
    {
        for (var i = 0; i < steps; i++) _time.Advance(by / steps);
    }

    [Fact]
    public async Task Start_FirstRunWithinWarmup_ThenEveryDelayLoop()
    {
        await using var runner = NewRunner();
        var probe = new ScriptedProbe(_time);
        var start = _time.GetUtcNow();
        runner.Add(Id, 1, [new("tcp", Timing(warmupSeconds: 5), probe)]);
        runner.Start();

        Advance(TimeSpan.FromSeconds(5), 50);
        var first = Assert.Single(probe.Runs);
        Assert.InRange(first - start, TimeSpan.Zero, TimeSpan.FromSeconds(5));

        Advance(TimeSpan.FromSeconds(30), 300);
        var runs = probe.Runs.ToArray();
        Assert.Equal(4, runs.Length);
        for (var i = 1; i < runs.Length; i++) Assert.Equal(TimeSpan.FromSeconds(10), runs[i] - runs[i - 1]);
    }

    [Fact]
    public async Task Run_FailuresWhileUp_DownAfterRetriesDelayBeforeRetryApart()
    {
        await using var runner = NewRunner();
        var probe = new ScriptedProbe(_time);
        runner.Add(Id, 1, [new("http", Timing(retry: 2), probe)]);
        runner.Start();
        _time.Advance(TimeSpan.Zero);
        Assert.Single(probe.Runs);

        probe.Default = CheckResult.Fail("503");
        var failStart = _time.GetUtcNow() + TimeSpan.FromSeconds(10);
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, probe.Runs.Count);
        Assert.DoesNotContain(_events, e => e is RealServerDown);

        Advance(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(_events, e => e is RealServerDown);
        Advance(TimeSpan.FromSeconds(2));
        var down = Assert.Single(_events.OfType<RealServerDown>());
        Assert.Equal("503", down.Reason);
        Assert.Equal(failStart + TimeSpan.FromSeconds(4), probe.Runs.Last());
        Assert.Equal(2, _events.OfType<CheckFailed>().Count(e => e.WillRetry));

        probe.Default = CheckResult.Ok;
        Advance(TimeSpan.FromSeconds(10));
        Assert.Single(_events.OfType<RealServerUp>());
        Assert.True(runner.Find(Id)!.Checkers[0].HasRun);
        Assert.True(runner.Find(Id)!.IsAlive);
    }

    [Fact]
    public async Task Run_ProbeNeverAnswers_FailsAfterConnectTimeoutPlusGrace()
    {
        await using var runner = NewRunner();
        var probe = new BadProbe(throws: false);
        runner.Add(Id, 1, [new("hang", Timing(retry: 0), probe)]);
        runner.Start();
        _time.Advance(TimeSpan.Zero);
        Assert.Equal(1, probe.Calls);
        Advance(TimeSpan.FromSeconds(3) + CheckRunner.ProbeGrace - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_events);
        Advance(TimeSpan.FromMilliseconds(1));
        await WaitForAsync(() => !_events.IsEmpty);
        Assert.Contains(_events, e => e is RealServerDown { Reason: var r } && r.StartsWith("no result within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ProbeThrows_CountsAsFailureAndKeepsLooping()
    {
        await using var runner = NewRunner();
        var probe = new BadProbe(throws: true);
        runner.Add(Id, 1, [new("boom", Timing(retry: 0), probe)]);
        runner.Start();
        _time.Advance(TimeSpan.Zero);
        Advance(TimeSpan.FromSeconds(20), 2);
        Assert.Equal(3, probe.Calls);
        Assert.Contains(_events, e => e is RealServerDown { Reason: var r } && r.Contains("boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Remove_StopsTheChecks()
    {
        await using var runner = NewRunner();
        var probe = new ScriptedProbe(_time);
        runner.Add(Id, 1, [new("tcp", Timing(), probe)]);
        runner.Start();
        _time.Advance(TimeSpan.Zero);
        Assert.True(runner.Remove(Id));
        Advance(TimeSpan.FromSeconds(60), 6);
        Assert.Single(probe.Runs);
        Assert.Null(runner.Find(Id));
    }

    [Fact]
    public async Task Add_SameIdTwice_Throws()
    {
        await using var runner = NewRunner();
        runner.Add(Id, 1, []);
        Assert.Throws<InvalidOperationException>(() => runner.Add(Id, 1, []));
    }

    [Fact]
    public async Task Run_ManyServers_BoundedConcurrencyStillRunsAll()
    {
        await using var runner = NewRunner(slots: 4);
        var probes = Enumerable.Range(0, 1000).Select(_ => new ScriptedProbe(_time)).ToList();
        for (var i = 0; i < probes.Count; i++) runner.Add(new("vs", "rs" + i), 1, [new("tcp", Timing(warmupSeconds: 1), probes[i])]);
        runner.Start();
        Advance(TimeSpan.FromSeconds(1), 10);
        Advance(TimeSpan.FromSeconds(10), 10);
        await WaitForAsync(() => runner.Runs >= 2000);
        Assert.All(probes, p => Assert.Equal(2, p.Runs.Count));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Yield();
        Assert.True(condition());
    }
}

public class CheckRunnerLifecycleTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<HealthEvent> _events = new();

    private static readonly CheckTiming Timing = new(TimeSpan.FromSeconds(1), 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.Zero);

    [Fact]
    public async Task Suspend_SkipsRunsUntilResumed()
    {
        await using var runner = new CheckRunner(_time, new Random(1), _events.Enqueue);
        var probe = new ScriptedProbe(_time);
        runner.Add(new("vs", "a"), 1, [new("tcp", Timing, probe)]);
        runner.Start();
        _time.Advance(TimeSpan.Zero);
        Assert.Single(probe.Runs);

        runner.Suspend("vs", true);
        probe.Default = CheckResult.Fail("x");
        for (var i = 0; i < 3; i++) _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(probe.Runs);
        Assert.Empty(_events);

        runner.Suspend("vs", false);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, probe.Runs.Count);
        Assert.Contains(_events, e => e is RealServerDown);
    }

    [Fact]
    public async Task Add_AfterStart_StartsAtOnce()
    {
        await using var runner = new CheckRunner(_time, new Random(1), _events.Enqueue);
        runner.Start();
        var probe = new ScriptedProbe(_time);
        runner.Add(new("vs", "late"), 1, [new("tcp", Timing, probe)]);
        _time.Advance(TimeSpan.Zero);
        Assert.Single(probe.Runs);
    }

    [Fact]
    public async Task Sink_Throws_ChecksGoOn()
    {
        await using var runner = new CheckRunner(_time, new Random(1), _ => throw new InvalidOperationException("sink"));
        var probe = new ScriptedProbe(_time) { Default = CheckResult.Fail("down") };
        runner.Add(new("vs", "a"), 1, [new("tcp", Timing, probe)]);
        runner.Start();
        _time.Advance(TimeSpan.Zero);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, probe.Runs.Count);
        Assert.False(runner.Find(new("vs", "a"))!.IsAlive);
    }
}
