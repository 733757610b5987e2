using System.Globalization;
using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using Vigil.Linux.Scripts;
using Vigil.Vrrp.Tracking;

namespace Vigil.Vrrp;

/// <summary>A tracked object's new result, handed to the loop: <paramref name="Up"/> for scripts, interfaces and
/// processes, <paramref name="Value"/> for files.</summary>
internal readonly record struct TrackerResult(VrrpTrackerKind Kind, string Name, bool Up, int Value);

/// <summary>
/// vrrp_script: runs the script every interval off the loop (the next run starts only after the previous one
/// ended, so there are never two at once), counts rise/fall, and reports changes.
/// </summary>
internal sealed partial class ScriptTrackerSource(VrrpScriptConfig script, ScriptInvocation invocation, IScriptRunner runner, TimeProvider time, ILogger log)
{
    public bool InitialUp => !script.InitFail;

    /// <param name="initialUp">The result to start from: a reload's carried-over result, else null for the script's
    /// own start (up, or down with init_fail).</param>
    public async Task RunAsync(Action<TrackerResult> report, CancellationToken ct, bool? initialUp = null)
    {
        var state = new VrrpRiseFall(script.Rise, script.Fall, initFail: !(initialUp ?? InitialUp));
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            ScriptOutcome outcome;
            try
            {
                outcome = await runner.RunAsync(invocation with { Timeout = script.Timeout }, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var changed = state.Record(outcome.Succeeded);
            if (changed || (first && outcome.Succeeded == state.Up))
            {
                if (state.Up)
                {
                    LogSucceeded(log, script.Name);
                }
                else if (outcome.TimedOut)
                {
                    LogTimedOut(log, script.Name);
                }
                else if (outcome.Error is { } error)
                {
                    LogFailed(log, script.Name, error);
                }
                else
                {
                    LogExited(log, script.Name, outcome.ExitCode);
                }
            }
            if (changed)
            {
                report(new TrackerResult(VrrpTrackerKind.Script, script.Name, state.Up, 0));
            }
            first = false;
            var wait = script.Interval - time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "VRRP_Script({Name}) succeeded")]
    private static partial void LogSucceeded(ILogger logger, string name);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "VRRP_Script({Name}) failed ({Why})")]
    private static partial void LogFailed(ILogger logger, string name, string why);

    [LoggerMessage(EventId = 4309, Level = LogLevel.Information, Message = "VRRP_Script({Name}) failed (exited with status {Status})")]
    private static partial void LogExited(ILogger logger, string name, int status);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "VRRP_Script({Name}) timed_out")]
    private static partial void LogTimedOut(ILogger logger, string name);
}

/// <summary>track_file: the integer in the file (0 when absent or not a number), polled.</summary>
internal sealed class FileTrackerSource(TrackFileConfig file, TimeProvider time)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>init_file: writes the initial value when the file is absent (or always, with overwrite).</summary>
    public void Initialise()
    {
        if (file.InitFile && (file.InitOverwrite || !File.Exists(file.File)))
        {
            try
            {
                File.WriteAllText(file.File, file.InitValue.ToString(CultureInfo.InvariantCulture) + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The value stays 0, as for any unreadable file.
            }
        }
    }

    public int Read() => Parse(TryRead(file.File));

    public static int Parse(string? text) => VrrpTrackFileValue.Parse(text);

    public async Task RunAsync(Action<TrackerResult> report, CancellationToken ct)
    {
        var last = Read();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollInterval, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var value = Read();
            if (value != last)
            {
                last = value;
                report(new TrackerResult(VrrpTrackerKind.File, file.Name, true, value));
            }
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>
/// vrrp_track_process by polling /proc (keepalived uses the process connector; a 1 s scan is the same
/// outcome, later): the number of matching processes against quorum..quorum_max, with the up/down delays.
/// </summary>
internal sealed class ProcessTrackerSource(TrackProcessConfig process, TimeProvider time)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly VrrpTrackedProcess _match = new(process.Process, process.Parameters.ToArray(), process.ParamMatch, process.FullCommand);

    public bool Evaluate() => VrrpTrackedProcess.IsUp(ProcessTable.Read().Count(e => _match.Matches(e.Comm, e.Arguments)), process.Quorum, process.QuorumMax);

    public async Task RunAsync(bool initial, Action<TrackerResult> report, CancellationToken ct)
    {
        var reported = initial;
        long? pendingSince = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollInterval, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var up = Evaluate();
            if (up == reported)
            {
                pendingSince = null;
                continue;
            }
            pendingSince ??= time.GetTimestamp();
            var delay = (up ? process.ForkDelay : process.TerminateDelay) ?? process.Delay ?? TimeSpan.Zero;
            if (time.GetElapsedTime(pendingSince.Value) >= delay)
            {
                reported = up;
                pendingSince = null;
                report(new TrackerResult(VrrpTrackerKind.Process, process.Name, up, 0));
            }
        }
    }
}

/// <summary>The processes in /proc: comm and argv.</summary>
internal static class ProcessTable
{
    public sealed record Entry(int Pid, string Comm, IReadOnlyList<string> Arguments);

    public static IReadOnlyList<Entry> Read()
    {
        var list = new List<Entry>();
        IEnumerable<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return list;
        }
        foreach (var dir in dirs)
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd('\n');
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                list.Add(new Entry(pid, comm, VrrpTrackedProcess.ParseCmdline(cmdline)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited while we looked.
            }
        }
        return list;
    }

}

/// <summary>
/// track_interface and the instance's own interface: link state (administratively up and running) from
/// rtnetlink link events, with a fresh dump when events were lost. Dumps go through <paramref name="dump"/>,
/// which runs them on the loop (the host's rtnetlink socket belongs to the loop thread).
/// </summary>
internal sealed class InterfaceTrackerSource(IReadOnlyCollection<string> interfaces, Func<Task<IReadOnlyDictionary<string, bool>>> dump, NetworkNamespace? ns)
{
    private readonly Dictionary<string, bool> _state = new(StringComparer.Ordinal);

    public static bool IsUp(LinkInfo? link) => link is { IsUp: true, IsRunning: true };

    /// <summary>The state of each interface (absent = down) through <paramref name="getLink"/>.</summary>
    public static IReadOnlyDictionary<string, bool> Read(IEnumerable<string> names, Func<string, LinkInfo?> getLink) =>
        names.Distinct(StringComparer.Ordinal).ToDictionary(n => n, n => IsUp(getLink(n)), StringComparer.Ordinal);

    public async Task RunAsync(Action<TrackerResult> report, Action<string> failed, CancellationToken ct)
    {
        RouteNetlinkEvents events;
        try
        {
            events = RouteNetlinkEvents.Open([RtnlGroup.Link], ns);
        }
        catch (KernelException e)
        {
            failed(e.Message);
            return;
        }
        using (events)
        {
            try
            {
                // Subscribed first, then dumped: a change between the two is seen as an event.
                await ResyncAsync(report).ConfigureAwait(false);
                await foreach (var ev in events.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    switch (ev)
                    {
                        case LinkEvent { Kind: LinkEventKind.Changed } le when interfaces.Contains(le.Link.Name):
                            Set(le.Link.Name, IsUp(le.Link), report);
                            break;
                        case LinkEvent { Kind: LinkEventKind.Removed } le when interfaces.Contains(le.Link.Name):
                            Set(le.Link.Name, false, report);
                            break;
                        case EventsLost:
                            await ResyncAsync(report).ConfigureAwait(false);
                            break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (KernelException e)
            {
                failed(e.Message);
            }
        }
    }

    private async Task ResyncAsync(Action<TrackerResult> report)
    {
        foreach (var (name, up) in await dump().ConfigureAwait(false))
        {
            Set(name, up, report, force: true);
        }
    }

    private void Set(string name, bool up, Action<TrackerResult> report, bool force = false)
    {
        if (!force && _state.TryGetValue(name, out var old) && old == up)
        {
            return;
        }
        _state[name] = up;
        // The loop ignores results that did not change.
        report(new TrackerResult(VrrpTrackerKind.Interface, name, up, 0));
    }
}
