using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Vigil.Linux.Scripts;

/// <summary>How one run ended.</summary>
/// <param name="ExitCode">The exit status; -1 when it could not start or was killed.</param>
/// <param name="TimedOut">It outlived its timeout and was sent TERM (then KILL).</param>
/// <param name="Error">Why it could not start, else null.</param>
public readonly record struct ScriptOutcome(int ExitCode, bool TimedOut, string? Error)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut && Error is null;
}

/// <summary>One script to run.</summary>
/// <param name="Command">The parsed line (with any appended arguments).</param>
/// <param name="RunAs">The account; a non-root account is entered with setpriv (uid, gid, no supplementary groups).</param>
/// <param name="Timeout">TERM after this, KILL <see cref="ScriptRunner.KillGrace"/> later; null: no limit (notify scripts).</param>
public sealed record ScriptInvocation(ScriptCommandLine Command, ScriptAccount RunAs, TimeSpan? Timeout);

/// <summary>Runs scripts as child processes without blocking the caller: no shell unless the line needs one.</summary>
public interface IScriptRunner
{
    Task<ScriptOutcome> RunAsync(ScriptInvocation invocation, CancellationToken cancellationToken = default);
}

/// <summary>
/// The process runner: fork/exec through <see cref="Process"/> (stdin, stdout, stderr to nothing), a user
/// switch through setpriv(1), and a timeout of TERM then KILL.
/// </summary>
public sealed class ScriptRunner(TimeProvider time) : IScriptRunner
{
    /// <summary>Time between TERM and KILL for a script that outlives its timeout.</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    private const string SetPriv = "/usr/bin/setpriv";

    /// <summary>This runner's script runs, failures and timeouts.</summary>
    public ScriptCounters Counters { get; } = new();

    /// <summary>The sum over every runner of the process (for metrics).</summary>
    public static ScriptCounters ProcessCounters { get; } = new();

    public async Task<ScriptOutcome> RunAsync(ScriptInvocation invocation, CancellationToken cancellationToken = default)
    {
        var outcome = await RunCoreAsync(invocation, cancellationToken).ConfigureAwait(false);
        Counters.Count(outcome);
        ProcessCounters.Count(outcome);
        return outcome;
    }

    private async Task<ScriptOutcome> RunCoreAsync(ScriptInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var argv = invocation.Command.ExecArguments;
        if (argv.Count == 0)
        {
            return new ScriptOutcome(-1, false, "empty script line");
        }

        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        IEnumerable<string> args = argv;
        if (!invocation.RunAs.IsRoot)
        {
            start.FileName = SetPriv;
            args = [
                "--reuid=" + invocation.RunAs.Uid.ToString(CultureInfo.InvariantCulture),
                "--regid=" + invocation.RunAs.Gid.ToString(CultureInfo.InvariantCulture),
                "--clear-groups", "--", .. argv];
        }
        else
        {
            start.FileName = argv[0];
            args = argv.Skip(1);
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return new ScriptOutcome(-1, false, e.Message);
        }

        process.StandardInput.Close();
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = invocation.Timeout is { } t ? new CancellationTokenSource(t, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            return new ScriptOutcome(process.ExitCode, false, null);
        }
        catch (OperationCanceledException)
        {
            _ = Interop.Libc.Kill(process.Id, Interop.Libc.SIGTERM);
            using var grace = new CancellationTokenSource(KillGrace, time);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return new ScriptOutcome(-1, true, null);
        }
    }
}

/// <summary>Script runs, failures (did not start, non-zero exit or timed out) and timeouts; thread-safe.</summary>
public sealed class ScriptCounters
{
    private long _runs;
    private long _failures;
    private long _timeouts;

    public long Runs => Interlocked.Read(ref _runs);

    public long Failures => Interlocked.Read(ref _failures);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    internal void Count(ScriptOutcome outcome)
    {
        Interlocked.Increment(ref _runs);
        if (!outcome.Succeeded)
        {
            Interlocked.Increment(ref _failures);
        }
        if (outcome.TimedOut)
        {
            Interlocked.Increment(ref _timeouts);
        }
    }
}
