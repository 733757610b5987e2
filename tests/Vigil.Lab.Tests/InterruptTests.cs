using System.Diagnostics;
using Vigil.Testing;

namespace Vigil.Lab.Tests;

// Inside Vigil.Lab.*, the name Lab would mean the namespace: alias the harness class.
using Lab = Vigil.Testing.Lab;

/// <summary>
/// Teardown when the test process does not get to dispose its lab: a signal runs the exit hook, and a
/// hard kill leaves work for the sweeper of the next lab. The victim is this test assembly run again
/// as a child with only <see cref="HeldLab_CreatedWithProcess_IsUsable"/> selected and told to hold.
/// </summary>
public sealed class InterruptTests
{
    private const string HoldEnvironment = "VIGIL_LAB_HOLD_FILE";
    private static readonly TimeSpan ChildBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task HeldLab_CreatedWithProcess_IsUsable()
    {
        await using var lab = await LabFactory.CreateAsync();
        var host = await lab.AddHostAsync("held");
        var sleeper = host.Start("sleep", "sleep", "600");
        Assert.True(await host.HasAddressAsync("10.77.0.1", "eth0"));
        Assert.False(sleeper.HasExited);

        var holdFile = Environment.GetEnvironmentVariable(HoldEnvironment);
        if (holdFile is not null)
        {
            // Child mode: say what to look for, then wait (bounded) to be signalled or killed.
            File.WriteAllText(holdFile + ".tmp", $"{lab.Id}\n{sleeper.Pid}\n");
            File.Move(holdFile + ".tmp", holdFile);
            await Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
    }

    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("INT", 2)]
    public async Task ExitHook_TestProcessSignalled_RemovesItsNamespacesAndProcesses(string name, int signal)
    {
        var (child, labId, sleeperPid) = await StartHeldChildAsync();
        try
        {
            Assert.Contains(labId, await NetnsListAsync(), StringComparison.Ordinal);

            Assert.True(Kill(child.Id, signal) == 0, $"kill -{name} {child.Id} failed");
            await WaitForExitAsync(child);

            Assert.DoesNotContain(labId, await NetnsListAsync(), StringComparison.Ordinal);
            await Poll.UntilAsync(() => !ProcessAlive(sleeperPid), TimeSpan.FromSeconds(10), $"sleep {sleeperPid} to be gone");
        }
        finally
        {
            await CleanUpAsync(child, labId);
        }
    }

    [Fact]
    public async Task Sweeper_TestProcessKilledHard_NextLabRemovesItsNamespacesAndProcesses()
    {
        var (child, labId, sleeperPid) = await StartHeldChildAsync();
        try
        {
            child.Kill(entireProcessTree: false);
            await WaitForExitAsync(child);
            Assert.Contains(labId, await NetnsListAsync(), StringComparison.Ordinal);
            Assert.True(ProcessAlive(sleeperPid), "the orphaned process inside the dead run's namespace is still there");

            await using (await LabFactory.CreateAsync())
            {
                Assert.DoesNotContain(labId, await NetnsListAsync(), StringComparison.Ordinal);
                await Poll.UntilAsync(() => !ProcessAlive(sleeperPid), TimeSpan.FromSeconds(10), $"sleep {sleeperPid} to be gone");
            }
        }
        finally
        {
            await CleanUpAsync(child, labId);
        }
    }

    private static async Task<(Process Child, string LabId, int SleeperPid)> StartHeldChildAsync()
    {
        var holdFile = Path.Combine(Path.GetTempPath(), $"vigil-lab-hold-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var exe = Path.Combine(AppContext.BaseDirectory, "Vigil.Lab.Tests");
        var psi = new ProcessStartInfo(exe)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-noColor");
        psi.ArgumentList.Add("-method");
        psi.ArgumentList.Add($"{typeof(InterruptTests).FullName}.{nameof(HeldLab_CreatedWithProcess_IsUsable)}");
        psi.Environment[HoldEnvironment] = holdFile;
        var child = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        child.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        child.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            await Poll.UntilAsync(() => File.Exists(holdFile) || child.HasExited, ChildBound, "the child test process to hold its lab",
                () => { lock (output) { return Task.FromResult(output.ToString()); } }, TimeSpan.FromMilliseconds(100));
            Assert.True(File.Exists(holdFile), $"child exited early:\n{output}");
            var lines = File.ReadAllLines(holdFile);
            File.Delete(holdFile);
            return (child, lines[0], int.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
            child.Dispose();
            throw;
        }
    }

    private static async Task WaitForExitAsync(Process child)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await child.WaitForExitAsync(cts.Token);
    }

    /// <summary>Whatever the outcome, leave nothing: the child, its namespaces (whose processes die with a sweep).</summary>
    private static async Task CleanUpAsync(Process child, string labId)
    {
        if (!child.HasExited)
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        child.Dispose();
        if ((await NetnsListAsync()).Contains(labId, StringComparison.Ordinal))
        {
            // The child is dead now, so a new lab's sweeper removes what it left.
            await using (await LabFactory.CreateAsync())
            {
            }
        }
    }

    private static bool ProcessAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static int Kill(int pid, int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }

    private static async Task<string> NetnsListAsync()
    {
        var psi = new ProcessStartInfo("ip", ["netns", "list"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var text = await p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        return text;
    }
}
