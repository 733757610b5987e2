using System.Diagnostics;
using Vigil.Linux.Scripts;

namespace Vigil.Linux.Tests.Scripts;

public class ScriptRunnerTests
{
    private static readonly ScriptRunner Runner = new(TimeProvider.System);

    private static ScriptInvocation Inv(string line, TimeSpan? timeout = null, ScriptAccount? user = null) =>
        new(ScriptCommandLine.Parse(line), user ?? ScriptAccount.Root, timeout ?? TimeSpan.FromSeconds(10));

    [Fact]
    public async Task RunAsync_ExitStatus_Reported()
    {
        Assert.True((await Runner.RunAsync(Inv("/bin/true"), TestContext.Current.CancellationToken)).Succeeded);
        var r = await Runner.RunAsync(Inv("/bin/sh -c 'exit 3'"), TestContext.Current.CancellationToken);
        Assert.Equal(3, r.ExitCode);
        Assert.False(r.Succeeded);
    }

    [Fact]
    public async Task Counters_CountRunsFailuresAndTimeouts_OfThisRunnerAndTheProcess()
    {
        var runner = new ScriptRunner(TimeProvider.System);
        var processBefore = ScriptRunner.ProcessCounters.Runs;
        var ct = TestContext.Current.CancellationToken;
        await runner.RunAsync(Inv("/bin/true"), ct);
        await runner.RunAsync(Inv("/bin/false"), ct);
        await runner.RunAsync(Inv("/nonexistent/script"), ct);
        await runner.RunAsync(Inv("/bin/sleep 30", TimeSpan.FromMilliseconds(100)), ct);
        Assert.Equal((4L, 3L, 1L), (runner.Counters.Runs, runner.Counters.Failures, runner.Counters.Timeouts));
        // Other tests run scripts in parallel: the process-wide sum grew by at least this runner's four.
        Assert.True(ScriptRunner.ProcessCounters.Runs - processBefore >= 4);
    }

    [Fact]
    public async Task RunAsync_ShellLine_RunsUnderShell()
    {
        var file = Path.Combine(Path.GetTempPath(), $"vigil-sr-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var r = await Runner.RunAsync(Inv($"echo hi there > {file}"), TestContext.Current.CancellationToken);
            Assert.True(r.Succeeded);
            Assert.Equal("hi there\n", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RunAsync_Timeout_TerminatedAndCountsAsFailure()
    {
        var sw = Stopwatch.StartNew();
        var r = await Runner.RunAsync(Inv("/bin/sleep 30", TimeSpan.FromMilliseconds(200)), TestContext.Current.CancellationToken);
        Assert.True(r.TimedOut);
        Assert.False(r.Succeeded);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_IgnoresTerm_KilledAfterGrace()
    {
        var sw = Stopwatch.StartNew();
        var r = await Runner.RunAsync(Inv("trap '' TERM; sleep 30", TimeSpan.FromMilliseconds(200)), TestContext.Current.CancellationToken);
        Assert.True(r.TimedOut);
        Assert.True(sw.Elapsed >= ScriptRunner.KillGrace, $"took {sw.Elapsed}");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(8), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_Missing_ReportsError()
    {
        var r = await Runner.RunAsync(Inv("/nonexistent/script"), TestContext.Current.CancellationToken);
        Assert.NotNull(r.Error);
        Assert.False(r.Succeeded);
    }

    [Fact]
    public async Task RunAsync_AsNobody_RunsWithThatUid()
    {
        Assert.SkipUnless(Environment.UserName == "root", "needs root to switch user");
        var r = await Runner.RunAsync(Inv("/bin/sh -c 'test $(id -u) = 65534'", user: new ScriptAccount("nobody", 65534, 65534)), TestContext.Current.CancellationToken);
        Assert.True(r.Succeeded, r.ToString());
    }
}
