using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using Vigil.Linux.Scripts;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.SyncGroups;
using Vigil.Vrrp.Tracking;
using VrrpState = Vigil.Vrrp.Fsm.VrrpState;

namespace Vigil.Vrrp;

/// <summary>
/// The trackers of a configuration and the sync groups, joined to the routers. Sources (scripts, files,
/// processes, links) run off the loop and post their results to it; on the loop each instance's
/// <see cref="VrrpTrackerSet"/> turns results into SetPriority / SetFault, and a sync group spreads a member's
/// fault to every member. Sync-group and instance transitions go to the <see cref="NotifyDispatcher"/>.
/// </summary>
internal sealed partial class TrackingHost : IAsyncDisposable
{
    private readonly KeepalivedConfig _config;
    private readonly EventLoop _loop;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly Dictionary<string, Attached> _attached = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (VrrpSyncGroup Group, VrrpSyncGroupConfig Config)> _groupOf = new(StringComparer.Ordinal);
    private readonly Dictionary<(VrrpTrackerKind, string), TrackerResult> _current = [];
    private readonly List<Func<CancellationToken, Task>> _sources = [];
    private readonly RouteNetlink _rtnl;
    private readonly NetworkNamespace? _namespace;

    private bool _retired;

    /// <param name="previous">The tracking of the configuration before a reload: each tracker whose definition is
    /// unchanged starts from its current result instead of its initial one, so a reload does not flap priorities.
    /// Call <see cref="Retire"/> on it first (on the loop).</param>
    public TrackingHost(KeepalivedConfig config, EventLoop loop, RouteNetlink rtnl, NetworkNamespace? ns, IScriptRunner runner, TimeProvider time, ILogger log,
        TrackingHost? previous = null)
    {
        _config = config;
        _loop = loop;
        _rtnl = rtnl;
        _namespace = ns;
        _log = log;
        _time = time;
        Scripts = new TrackingScripts(config.GlobalDefs, log);
        Notify = new NotifyDispatcher(config.GlobalDefs, Scripts, runner, log);
        foreach (var group in config.SyncGroups)
        {
            var sync = new VrrpSyncGroup(group.Name, group.Group);
            foreach (var member in sync.Members)
            {
                _groupOf[member] = (sync, group);
            }
            Notify.Prepare(group.NotifyMaster, group.NotifyBackup, group.NotifyFault, group.NotifyStop, group.Notify);
        }
        _previous = previous;
        CreateSources(runner);
        _previous = null;
    }

    private TrackingHost? _previous;

    /// <summary>Trackers whose result was carried over from before the reload (for logs and tests).</summary>
    public IReadOnlyCollection<(VrrpTrackerKind Kind, string Name)> CarriedOver => _carried;

    private readonly List<(VrrpTrackerKind Kind, string Name)> _carried = [];

    /// <summary>
    /// The result the tracker had before the reload when its definition is the same (same block, same name,
    /// equal settings), else null.
    /// </summary>
    private TrackerResult? Carry<T>(VrrpTrackerKind kind, string name, T definition, Func<KeepalivedConfig, IEnumerable<T>> blocks, Func<T, string> nameOf)
        where T : class
    {
        if (_previous is null
            || !_previous._current.TryGetValue((kind, name), out var result)
            || blocks(_previous._config).FirstOrDefault(b => nameOf(b) == name) is not { } old
            || !old.Equals(definition))
        {
            return null;
        }
        _carried.Add((kind, name));
        return result;
    }

    /// <summary>
    /// Stops this tracking from touching the routers (on the loop, before a reload hands them to a new one):
    /// results its sources still post are dropped, the sync groups let go of the routers. Sources stop on dispose.
    /// </summary>
    public void Retire()
    {
        _retired = true;
        foreach (var a in _attached.Values.ToList())
        {
            Detach(a.Running);
        }
    }

    public TrackingScripts Scripts { get; }

    public NotifyDispatcher Notify { get; }

    private void CreateSources(IScriptRunner runner)
    {
        var used = _config.VrrpInstances.SelectMany(i => i.TrackScripts.Select(t => t.Name))
            .Concat(_config.SyncGroups.SelectMany(g => g.TrackScripts.Select(t => t.Name))).ToHashSet(StringComparer.Ordinal);
        foreach (var script in _config.VrrpScripts.Where(s => used.Contains(s.Name)))
        {
            if (Scripts.Prepare(script.Script, script.User, script.Group, script.Timeout) is not { } invocation)
            {
                LogScriptDisabled(_log, script.Name);
                continue;
            }
            var source = new ScriptTrackerSource(script, invocation, runner, _time, _log);
            var carried = Carry(VrrpTrackerKind.Script, script.Name, script, c => c.VrrpScripts, s => s.Name);
            var up = carried?.Up ?? source.InitialUp;
            _current[(VrrpTrackerKind.Script, script.Name)] = new TrackerResult(VrrpTrackerKind.Script, script.Name, up, 0);
            _sources.Add(ct => source.RunAsync(Report, ct, carried?.Up));
        }

        var files = _config.VrrpInstances.SelectMany(i => i.TrackFiles.Select(t => t.Name))
            .Concat(_config.SyncGroups.SelectMany(g => g.TrackFiles.Select(t => t.Name))).ToHashSet(StringComparer.Ordinal);
        foreach (var file in _config.TrackFiles.Where(f => files.Contains(f.Name)))
        {
            var source = new FileTrackerSource(file, _time);
            // init_file (with overwrite) is for the start: a reload must not reset an unchanged tracked file.
            if (Carry(VrrpTrackerKind.File, file.Name, file, c => c.TrackFiles, f => f.Name) is null)
            {
                source.Initialise();
            }
            _current[(VrrpTrackerKind.File, file.Name)] = new TrackerResult(VrrpTrackerKind.File, file.Name, true, source.Read());
            _sources.Add(ct => source.RunAsync(Report, ct));
        }

        var processes = _config.VrrpInstances.SelectMany(i => i.TrackProcesses.Select(t => t.Name))
            .Concat(_config.SyncGroups.SelectMany(g => g.TrackProcesses.Select(t => t.Name))).ToHashSet(StringComparer.Ordinal);
        foreach (var process in _config.TrackProcesses.Where(p => processes.Contains(p.Name)))
        {
            var source = new ProcessTrackerSource(process, _time);
            // A carried-over result keeps the delays meaningful: a change during the reload still waits its delay.
            var up = Carry(VrrpTrackerKind.Process, process.Name, process, c => c.TrackProcesses, p => p.Name)?.Up ?? source.Evaluate();
            _current[(VrrpTrackerKind.Process, process.Name)] = new TrackerResult(VrrpTrackerKind.Process, process.Name, up, 0);
            _sources.Add(ct => source.RunAsync(up, Report, ct));
        }

        var interfaces = _config.VrrpInstances.SelectMany(i => i.TrackInterfaces.Select(t => t.Name)
                .Concat(i.DontTrackPrimary ? [] : [i.Interface ?? _config.GlobalDefs.DefaultInterface ?? "eth0"]))
            .Concat(_config.SyncGroups.SelectMany(g => g.TrackInterfaces.Select(t => t.Name))).ToHashSet(StringComparer.Ordinal);
        if (interfaces.Count > 0)
        {
            var source = new InterfaceTrackerSource(interfaces,
                () => _loop.InvokeAsync(_ => InterfaceTrackerSource.Read(interfaces, _rtnl.GetLink)), _namespace);
            foreach (var (name, up) in InterfaceTrackerSource.Read(interfaces, _rtnl.GetLink))
            {
                _current[(VrrpTrackerKind.Interface, name)] = new TrackerResult(VrrpTrackerKind.Interface, name, up, 0);
            }
            _sources.Add(ct => source.RunAsync(Report, e => LogLinkEventsFailed(_log, e), ct));
        }
        Scripts.ReportSecurity();
    }

    /// <summary>Starts the sources (after every instance is attached).</summary>
    public void StartSources()
    {
        foreach (var source in _sources)
        {
            _running.Add(Task.Run(() => source(_stop.Token)));
        }
    }

    /// <summary>Builds the instance's tracker set and applies the current results. Call on the loop, before Start.</summary>
    public void Attach(RunningInstance running, TimeSpan now)
    {
        var instance = running.Config;
        _groupOf.TryGetValue(instance.Name, out var group);
        var bindings = new List<VrrpTrackerBinding>();
        void AddRefs(IEnumerable<TrackReferenceConfig> refs, VrrpTrackerKind kind, Func<string, (int Weight, bool Reverse)?> own)
        {
            foreach (var r in refs)
            {
                if (own(r.Name) is not { } defaults)
                {
                    LogTrackerMissing(_log, instance.Name, KindName(kind), r.Name);
                    continue;
                }
                bindings.Add(r.Weight is { } w ? new VrrpTrackerBinding(kind, r.Name, w, r.Reverse) : new VrrpTrackerBinding(kind, r.Name, defaults.Weight, defaults.Reverse != r.Reverse));
            }
        }
        (int, bool)? Script(string n) => _config.VrrpScripts.FirstOrDefault(s => s.Name == n) is { } s && _current.ContainsKey((VrrpTrackerKind.Script, n)) ? (s.Weight, s.WeightReverse) : null;
        (int, bool)? FileOf(string n) => _config.TrackFiles.FirstOrDefault(s => s.Name == n) is { } s ? (s.Weight, s.WeightReverse) : null;
        (int, bool)? Process(string n) => _config.TrackProcesses.FirstOrDefault(s => s.Name == n) is { } s ? (s.Weight, s.WeightReverse) : null;
        static (int, bool)? Interface(string n) => (0, false);

        foreach (var (refs, files, processes, interfaces) in new[] { (instance.TrackScripts, instance.TrackFiles, instance.TrackProcesses, instance.TrackInterfaces) }
            .Concat(group.Config is { } g ? [(g.TrackScripts, g.TrackFiles, g.TrackProcesses, g.TrackInterfaces)] : []))
        {
            AddRefs(refs, VrrpTrackerKind.Script, Script);
            AddRefs(files, VrrpTrackerKind.File, FileOf);
            AddRefs(processes, VrrpTrackerKind.Process, Process);
            AddRefs(interfaces, VrrpTrackerKind.Interface, Interface);
        }
        if (!instance.DontTrackPrimary)
        {
            // keepalived compat: the instance's own interface going down is a FAULT (unless dont_track_primary).
            bindings.Add(new VrrpTrackerBinding(VrrpTrackerKind.Interface, running.InterfaceName, 0, false));
        }

        var set = new VrrpTrackerSet(instance.Priority, bindings, group.Group is not null, group.Config?.SyncGroupTrackingWeight ?? false,
            (b, why) => LogIgnoredWeight(_log, instance.Name, KindName(b.Kind), b.Name, why));
        foreach (var b in set.Bindings)
        {
            if (_current.TryGetValue((b.Kind, b.Name), out var result))
            {
                Apply(set, result);
            }
        }
        // A reload re-attaches running instances: the group starts from their current states.
        group.Group?.OnMemberState(instance.Name, running.Router.State);
        group.Group?.Attach(running.Router);
        var attached = new Attached(running, set);
        _attached[instance.Name] = attached;
        Notify.Prepare(instance.NotifyMaster, instance.NotifyBackup, instance.NotifyFault, instance.NotifyStop, instance.Notify);
        Push(attached, now);
    }

    public void Detach(RunningInstance running)
    {
        if (_attached.TryGetValue(running.Config.Name, out var a) && a.Running == running)
        {
            _attached.Remove(running.Config.Name);
        }
        if (_groupOf.TryGetValue(running.Config.Name, out var group))
        {
            group.Group.Detach(running.Router);
        }
    }

    /// <summary>A router changed state (on the loop): notify, and keep the sync group's state.</summary>
    public void OnStateChanged(RunningInstance running, VrrpStateChange change)
    {
        if (!_groupOf.TryGetValue(running.Config.Name, out var group))
        {
            Notify.Instance(running.Config, change);
            return;
        }
        NotifyMember(running, change, group);
        // keepalived compat (vrrp_sync_master / vrrp_sync_backup): the other members follow, each notified in turn.
        group.Group.Synchronize(change, change.At);
    }

    private void NotifyMember(RunningInstance running, VrrpStateChange change, (VrrpSyncGroup Group, VrrpSyncGroupConfig Config) group)
    {
        if (group.Group.OnMemberState(running.Config.Name, change.NewState) is not { } state)
        {
            Notify.Instance(running.Config, change);
            return;
        }
        var stateName = Vigil.Vrrp.Notify.VrrpNotifyFormat.StateName(state);
        LogGroupState(_log, group.Config.Name, stateName);
        // keepalived compat (observed on 2.2.7): group notifications carry priority 0; a group going to BACKUP or
        // FAULT is notified before the member that pulled it, MASTER and STOP after the last member.
        if (state is VrrpState.Backup or VrrpState.Fault)
        {
            Notify.Group(group.Config, state, 0);
            Notify.Instance(running.Config, change);
        }
        else
        {
            Notify.Instance(running.Config, change);
            Notify.Group(group.Config, state, 0);
        }
    }

    private void Report(TrackerResult result) => _loop.Post(now => OnResult(result, now));

    private void OnResult(TrackerResult result, TimeSpan now)
    {
        if (_retired)
        {
            return;
        }
        _current[(result.Kind, result.Name)] = result;
        foreach (var attached in _attached.Values.ToList())
        {
            if (Apply(attached.Set, result))
            {
                Push(attached, now);
            }
        }
    }

    private static bool Apply(VrrpTrackerSet set, TrackerResult result) =>
        result.Kind == VrrpTrackerKind.File ? set.SetValue(result.Name, result.Value) : set.Set(result.Kind, result.Name, result.Up);

    private void Push(Attached attached, TimeSpan now)
    {
        var result = attached.Set.Compute();
        var router = attached.Running.Router;
        router.SetPriority(result.Priority, now);
        var name = attached.Running.Config.Name;
        if (_groupOf.TryGetValue(name, out var group))
        {
            var wasFault = group.Group.Fault;
            var groupFault = group.Group.SetMemberFault(name, result.Fault);
            if (wasFault != groupFault)
            {
                foreach (var member in group.Group.Members)
                {
                    if (_attached.TryGetValue(member, out var m))
                    {
                        m.Running.Router.SetFault(groupFault, now);
                    }
                }
                return;
            }
            router.SetFault(groupFault, now);
            return;
        }
        router.SetFault(result.Fault, now);
    }

    private static string KindName(VrrpTrackerKind kind) => kind switch
    {
        VrrpTrackerKind.Script => "script",
        VrrpTrackerKind.Interface => "interface",
        VrrpTrackerKind.File => "file",
        _ => "process",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(_running), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        await Notify.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed record Attached(RunningInstance Running, VrrpTrackerSet Set);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "Disabling track script {Name} since not found/accessible or insecure")]
    private static partial void LogScriptDisabled(ILogger logger, string name);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Warning, Message = "({Instance}) ignoring tracked {Kind} {Name} with weights due to {Why}")]
    private static partial void LogIgnoredWeight(ILogger logger, string instance, string kind, string name, string why);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Warning, Message = "({Instance}) tracked {Kind} {Name} not found or disabled, ignoring")]
    private static partial void LogTrackerMissing(ILogger logger, string instance, string kind, string name);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Error, Message = "link events unavailable, track_interface frozen: {Error}")]
    private static partial void LogLinkEventsFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4308, Level = LogLevel.Information, Message = "VRRP_Group({Name}) Syncing instances to {State} state")]
    private static partial void LogGroupState(ILogger logger, string name, string state);
}
