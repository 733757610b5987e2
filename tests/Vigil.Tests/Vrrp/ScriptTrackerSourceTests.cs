using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Config;
using Vigil.Linux.Scripts;
using Vigil.Vrrp;

namespace Vigil.Tests.Vrrp;

/// <summary>A vrrp_script's source starting from a result carried over a reload (no flap on the first run).</summary>
public class ScriptTrackerSourceTests
{
    private sealed class FailingRunner : IScriptRunner
    {
        public int Runs { get; private set; }

        public Task<ScriptOutcome> RunAsync(ScriptInvocation invocation, CancellationToken cancellationToken = default)
        {
            Runs++;
            return Task.FromResult(new ScriptOutcome(1, false, null));
        }
    }

    private static readonly VrrpScriptConfig Script = new() { Name = "chk", Script = "/bin/false", Fall = 2, Rise = 2 };

    private static async Task<(List<TrackerResult> Reports, FailingRunner Runner)> RunOnceAsync(VrrpScriptConfig script, bool? initialUp)
    {
        var time = new FakeTimeProvider();
        var runner = new FailingRunner();
        var invocation = new ScriptInvocation(ScriptCommandLine.Parse(script.Script), ScriptAccount.Root, script.Timeout);
        var source = new ScriptTrackerSource(script, invocation, runner, time, NullLogger.Instance);
        var reports = new List<TrackerResult>();
        using var cts = new CancellationTokenSource();
        var run = source.RunAsync(reports.Add, cts.Token, initialUp);
        // The fake runner completes at once: the first run is over; the source now waits the interval on the fake clock.
        Assert.Equal(1, runner.Runs);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        return (reports, runner);
    }

    [Fact]
    public async Task RunAsync_CarriedDown_FirstFailureReportsNothing()
    {
        // Without the carried result the script starts up (no init_fail) and this failure (fall 1) would report down.
        var (reports, _) = await RunOnceAsync(Script with { Fall = 1 }, initialUp: false);

        Assert.Empty(reports);
    }

    [Fact]
    public async Task RunAsync_FallOne_FirstFailureReportsDown()
    {
        // The control: the same failing run does report when fall is 1, so the tests above can fail.
        var (reports, _) = await RunOnceAsync(Script with { Fall = 1 }, initialUp: true);

        Assert.Equal([new TrackerResult(Vigil.Vrrp.Tracking.VrrpTrackerKind.Script, "chk", false, 0)], reports);
    }

    [Fact]
    public async Task RunAsync_NoCarriedResultWithInitFail_StartsDown()
    {
        var (reports, _) = await RunOnceAsync(Script with { InitFail = true, Fall = 1 }, initialUp: null);

        Assert.Empty(reports);
    }
}
