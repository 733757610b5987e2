using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Vigil.Checks.Probes;

/// <summary>One script run: argv (no shell unless argv says so), a timeout, and an optional user.</summary>
public sealed record ScriptRequest(IReadOnlyList<string> Argv, TimeSpan Timeout, string? User = null, string? Group = null);

/// <summary>How a script ended: an exit code, or a timeout (TERM then KILL), or a failure to start.</summary>
public readonly record struct ScriptResult(int? ExitCode, bool TimedOut, string? Error = null);

/// <summary>Runs checker scripts; Vigil.Linux may supply one that switches user itself.</summary>
public interface IScriptRunner
{
    Task<ScriptResult> RunAsync(ScriptRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Runs scripts as child processes, at most <c>maxConcurrent</c> at once. On timeout the process gets
/// SIGTERM and, after <c>killGrace</c>, SIGKILL. SIGTERM goes through <c>sendTerm</c> (the executable can
/// pass a kill(2) wrapper from Vigil.Linux); without one, kill(1) sends it.
/// A <see cref="ScriptRequest.User"/> is applied with runuser(1).
/// </summary>
public sealed class ProcessScriptRunner : IScriptRunner, IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _killGrace;
    private readonly Action<int>? _sendTerm;

    public ProcessScriptRunner(int maxConcurrent = 32, TimeSpan? killGrace = null, Action<int>? sendTerm = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _killGrace = killGrace ?? TimeSpan.FromSeconds(2);
        _sendTerm = sendTerm;
    }

    /// <summary>Scripts running now (for status and tests).</summary>
    public int Running => Volatile.Read(ref _running);

    private int _running;

    public void Dispose() => _slots.Dispose();

    public async Task<ScriptResult> RunAsync(ScriptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Argv.Count == 0) return new(null, false, "empty command");
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _running);
            return await RunCoreAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _slots.Release();
        }
    }

    private async Task<ScriptResult> RunCoreAsync(ScriptRequest request, CancellationToken cancellationToken)
    {
        var argv = request.User is null
            ? request.Argv
            : [.. (string[])["runuser", "-u", request.User], .. (request.Group is null ? [] : (string[])["-g", request.Group]), "--", .. request.Argv];
        var info = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (var a in argv.Skip(1)) info.ArgumentList.Add(a);

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("process did not start");
        }
#pragma warning disable CA1031 // Start failures (missing file, not executable) are check failures.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new(null, false, $"cannot start {argv[0]}: {e.Message}");
        }
        using (process)
        {
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(request.Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                return new(process.ExitCode, false);
            }
            catch (OperationCanceledException)
            {
                await StopAsync(process).ConfigureAwait(false);
                return new(null, true, cancellationToken.IsCancellationRequested ? "cancelled" : "timeout");
            }
        }
    }

    private async Task StopAsync(Process process)
    {
        try
        {
            if (_sendTerm is not null) _sendTerm(process.Id);
            else await SendTermWithKillCommandAsync(process.Id).ConfigureAwait(false);
            using var grace = new CancellationTokenSource(_killGrace);
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever went wrong with TERM, KILL follows.
        catch (Exception)
#pragma warning restore CA1031
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Already gone.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private static async Task SendTermWithKillCommandAsync(int pid)
    {
        var info = new ProcessStartInfo("kill") { UseShellExecute = false };
        info.ArgumentList.Add("-TERM");
        info.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(info);
        if (kill is not null) await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }
}

/// <summary>Turns a misc_path line into argv.</summary>
public static class CommandLine
{
    private const string ShellCharacters = "|&;<>()$`*?[]~#\n{}";

    /// <summary>
    /// Splits on blanks honouring '...' and "..." quoting and backslash escapes; a line that needs a shell
    /// (pipes, redirections, variables, globs) becomes <c>/bin/sh -c line</c>.
    /// </summary>
    public static IReadOnlyList<string> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (NeedsShell(line)) return ["/bin/sh", "-c", line];
        var args = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < line.Length) current.Append(line[++i]);
                else current.Append(c);
                continue;
            }
            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    inWord = true;
                    break;
                case '\\' when i + 1 < line.Length:
                    current.Append(line[++i]);
                    inWord = true;
                    break;
                case ' ' or '\t':
                    if (inWord) args.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                    break;
                default:
                    current.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (inWord) args.Add(current.ToString());
        return args;
    }

    private static bool NeedsShell(string line)
    {
        char quote = '\0';
        foreach (var c in line)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (quote == '"' && c is '$' or '`') return true;
                continue;
            }
            if (c is '\'' or '"') quote = c;
            else if (ShellCharacters.Contains(c, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
