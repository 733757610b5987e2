using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vigil.Testing;

/// <summary>
/// A long-running process the lab started (in a namespace or not). Its stdout and stderr go straight
/// to files (so they survive the test process), its PID is tracked, and it is stopped by PID only.
/// </summary>
public class LabProcess
{
    private readonly Process _process;
    private readonly LabLog _log;

    internal LabProcess(string name, LabHost? host, Process process, string stdoutPath, string stderrPath,
        string commandLine, LabLog log)
    {
        Name = name;
        Host = host;
        _process = process;
        Pid = process.Id;
        StdoutPath = stdoutPath;
        StderrPath = stderrPath;
        CommandLine = commandLine;
        _log = log;
    }

    /// <summary>A label for logs, e.g. "keepalived@lb1".</summary>
    public string Name { get; }

    /// <summary>The host (namespace) it runs in; null for the switch namespace or the root namespace.</summary>
    public LabHost? Host { get; }

    /// <summary>The PID of the command itself (`ip netns exec` and the shell exec into it; no wrapper stays).</summary>
    public int Pid { get; }

    public string StdoutPath { get; }

    public string StderrPath { get; }

    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once exited; a process killed by signal N reports 128+N.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Waits up to <paramref name="timeout"/> for exit; true when it exited.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends a signal to the process (not its children). No-op once it has exited.</summary>
    public bool Signal(int signal)
    {
        if (_process.HasExited)
        {
            return false;
        }
        _log.Write($"kill -{signal} {Pid}   ({Name})");
        return Native.Kill(Pid, signal);
    }

    /// <summary>SIGHUP: a keepalived-style reload.</summary>
    public bool Reload() => Signal(Native.SIGHUP);

    /// <summary>
    /// Graceful stop: SIGTERM, wait up to <paramref name="grace"/> (default 5 s) for exit, then SIGKILL
    /// the process and every descendant it still has. Returns true when it exited on SIGTERM alone.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return true;
        }
        var descendants = ProcessTree.Descendants(Pid);
        Signal(Native.SIGTERM);
        var graceful = await WaitForExitAsync(grace ?? TimeSpan.FromSeconds(5));
        if (!graceful)
        {
            _log.Write($"{Name} (pid {Pid}) did not exit within {(grace ?? TimeSpan.FromSeconds(5)).TotalSeconds} s of SIGTERM");
        }
        KillTree(descendants);
        await WaitForExitAsync(TimeSpan.FromSeconds(5));
        return graceful;
    }

    /// <summary>
    /// kill -9 the process and all its descendants, all frozen with SIGSTOP first so none of them reacts to
    /// another's death (no priority 0 advert, no respawn): what a crash of the whole daemon looks like.
    /// </summary>
    // Once reaped, the PID may belong to someone else: then only the descendants already known are ours.
    public void Kill() => KillTree(_process.HasExited ? [] : ProcessTree.Descendants(Pid));

    /// <summary>kill -9 only the main process: its children are left to notice on their own.</summary>
    public void KillMainOnly() => Signal(Native.SIGKILL);

    /// <summary>kill -9 and wait (bounded) until the main process is reaped.</summary>
    public async Task KillAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    private void KillTree(IReadOnlyList<int> knownDescendants)
    {
        // Freeze first, kill second: a child that saw its parent die (keepalived's VRRP child does, via
        // PR_SET_PDEATHSIG) would otherwise get to send a priority 0 advert, and a parent that saw its
        // child die would respawn it. Stopped processes do neither; SIGKILL works on them.
        var running = !_process.HasExited;
        if (running)
        {
            Native.Kill(Pid, Native.SIGSTOP);
        }
        var tree = knownDescendants.Concat(running ? ProcessTree.Descendants(Pid) : []).Distinct()
            .Where(ProcessTree.IsRunning).ToList();
        foreach (var child in tree)
        {
            Native.Kill(child, Native.SIGSTOP);
        }
        // A child may have forked just before it was stopped.
        tree = tree.Concat(tree.SelectMany(ProcessTree.Descendants)).Distinct().ToList();
        foreach (var child in tree)
        {
            _log.Write($"kill -9 {child}   (descendant of {Name})");
            Native.Kill(child, Native.SIGSTOP);
            Native.Kill(child, Native.SIGKILL);
        }
        if (!_process.HasExited)
        {
            _log.Write($"kill -9 {Pid}   ({Name})");
            Native.Kill(Pid, Native.SIGKILL);
        }
    }

    /// <summary>Everything the process wrote so far, stdout then stderr.</summary>
    public string ReadOutput()
    {
        var stdout = ReadShared(StdoutPath);
        var stderr = ReadShared(StderrPath);
        return stderr.Length == 0 ? stdout : stdout.Length == 0 ? stderr : stdout + stderr;
    }

    /// <summary>Polls the output files until a line contains <paramref name="text"/>; returns that line.</summary>
    public Task<string> WaitForOutputAsync(string text, TimeSpan timeout) =>
        WaitForOutputAsync(line => line.Contains(text, StringComparison.Ordinal), $"'{text}'", timeout);

    /// <summary>Polls the output files until a line matches <paramref name="pattern"/>; returns that line.</summary>
    public Task<string> WaitForOutputAsync(Regex pattern, TimeSpan timeout) =>
        WaitForOutputAsync(pattern.IsMatch, $"/{pattern}/", timeout);

    public async Task<string> WaitForOutputAsync(Func<string, bool> linePredicate, string description, TimeSpan timeout)
    {
        string? found = null;
        await Poll.UntilAsync(
            () =>
            {
                found = ReadOutput().Split('\n').FirstOrDefault(linePredicate);
                return Task.FromResult(found is not null);
            },
            timeout,
            $"a line {description} in the output of {Name} (pid {Pid})",
            () => Task.FromResult(Tail(40)), log: _log);
        return found!;
    }

    /// <summary>The last lines of output, for diagnostics.</summary>
    public string Tail(int lines)
    {
        var all = ReadOutput().Split('\n');
        var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
        return $"--- {Name} (pid {Pid}, {state}): {CommandLine}\n" +
            string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    internal static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
        catch (DirectoryNotFoundException)
        {
            return "";
        }
    }

    /// <summary>
    /// Starts <paramref name="argv"/> with stdout/stderr redirected to files by a shell that execs into it,
    /// so the PID we get is the PID of the command.
    /// </summary>
    internal static LabProcess Start(string name, LabHost? host, IReadOnlyList<string> argv, string stdoutPath,
        string stderrPath, LabLog log)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" <\"$VIGIL_LAB_STDIN\" >\"$VIGIL_LAB_STDOUT\" 2>\"$VIGIL_LAB_STDERR\"");
        foreach (var a in argv)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["VIGIL_LAB_STDIN"] = "/dev/null";
        psi.Environment["VIGIL_LAB_STDOUT"] = stdoutPath;
        psi.Environment["VIGIL_LAB_STDERR"] = stderrPath;
        var commandLine = Shell.Join(argv[0], argv.Skip(1));
        var process = Process.Start(psi) ?? throw new LabCommandException($"could not start {commandLine}");
        log.Write($"started {name} pid {process.Id}: {commandLine}  > {stdoutPath} 2> {stderrPath}");
        return new LabProcess(name, host, process, stdoutPath, stderrPath, commandLine, log);
    }
}
