using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vigil.Balancing.Model;
using Vigil.Alerts;
using Vigil.Checks.Logging;
using Vigil.Checks.Probes;
using Vigil.Checks.Quorum;
using Vigil.Checks.Runner;
using Vigil.Config;
using Vigil.Status;

namespace Vigil.Balancing;

/// <summary>What starting or reloading the virtual servers found.</summary>
/// <param name="Errors">The data plane cannot program these virtual servers (they are left out).</param>
/// <param name="Warnings">Things skipped: checkers Vigil cannot run, services defined twice.</param>
internal sealed record LvsApplyResult(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);

/// <summary>
/// Runs the virtual servers: config -> checker registrations -> runner -> health -> quorum and sorry
/// server -> desired state -> data plane. Health events are handled one at a time on one loop;
/// reload is a diff that keeps the checker state of real servers whose config did not change.
/// Transitions of real servers (up/down) and virtual servers (quorum) go to the <see cref="LvsNotifier"/>:
/// notify scripts, lvs_notify_fifo lines and alert mails.
/// </summary>
internal sealed class LvsHost : IAsyncDisposable
{
    private readonly IDataPlane _plane;
    private readonly ProbeFactory _probes;
    private readonly ILogger _logger;
    private readonly CheckRunner _runner;
    private readonly Channel<HealthEvent> _events = Channel.CreateUnbounded<HealthEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly HashSet<ServiceKey> _owned = [];
    private Dictionary<string, VirtualServerEntry> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<RealServerId, string> _lastUpChecker = [];
    private readonly Vigil.Linux.Scripts.IScriptRunner _notifyRunner;
    private KeepalivedConfig _config = new();
    private LvsNotifier? _notifier;
    private Task? _loop;

    /// <param name="notifyRunner">Runs notify_up/_down and quorum_up/_down scripts (default: the Linux script runner).</param>
    public LvsHost(IDataPlane plane, TimeProvider time, ProbeFactory probes, ILogger logger, Random? random = null,
        Vigil.Linux.Scripts.IScriptRunner? notifyRunner = null)
    {
        _plane = plane ?? throw new ArgumentNullException(nameof(plane));
        _probes = probes ?? throw new ArgumentNullException(nameof(probes));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _runner = new CheckRunner(time, random ?? Random.Shared, e => _events.Writer.TryWrite(e));
        _notifyRunner = notifyRunner ?? new Vigil.Linux.Scripts.ScriptRunner(time);
    }

    /// <summary>
    /// A shared alerter (the daemon's, also used for VRRP mails). Null: the notifier makes its own from the
    /// configuration's global_defs. Set it before <see cref="Start"/>.
    /// </summary>
    public SmtpAlerter? Mail { get; set; }

    /// <summary>The notifier of the running configuration (for tests and status).</summary>
    internal LvsNotifier? Notifier => _notifier;

    public string DataPlaneName => _plane.Name;

    /// <summary>Services currently programmed by vigil.</summary>
    public DataPlaneState Desired { get; private set; } = DataPlaneState.Empty;

    /// <summary>Data plane applications so far (initial, reloads, health changes).</summary>
    public int Applications { get; private set; }

    /// <summary>Programs the virtual servers of <paramref name="config"/> and starts their checkers.</summary>
    public LvsApplyResult Start(KeepalivedConfig config)
    {
        var result = Load(config);
        _runner.Start();
        _loop ??= Task.Run(ProcessEventsAsync);
        return result;
    }

    /// <summary>Applies a new config as a diff: unchanged real servers keep their checkers and health.</summary>
    public LvsApplyResult Reload(KeepalivedConfig config) => Load(config);

    /// <summary>Stops the checkers; removes what vigil created unless <paramref name="keepServices"/> (-I).</summary>
    public async Task StopAsync(bool keepServices)
    {
        await _runner.DisposeAsync().ConfigureAwait(false);
        _events.Writer.TryComplete();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        await StopNotifierAsync().ConfigureAwait(false);
        if (keepServices) return;
        lock (_gate)
        {
            try
            {
                _plane.Remove([.. _owned]);
                _owned.Clear();
            }
            catch (Vigil.Linux.KernelException e)
            {
                BalancingLog.ApplyFailed(_logger, _plane.Name, e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _runner.DisposeAsync().ConfigureAwait(false);
        _events.Writer.TryComplete();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        await StopNotifierAsync().ConfigureAwait(false);
    }

    private async Task StopNotifierAsync()
    {
        LvsNotifier? notifier;
        lock (_gate)
        {
            notifier = _notifier;
            _notifier = null;
        }
        if (notifier is not null) await notifier.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>For `vigil status`: every virtual service with its real servers, weights and health.</summary>
    public IReadOnlyList<VirtualServerStatus> Snapshot()
    {
        lock (_gate)
        {
            var list = new List<VirtualServerStatus>();
            foreach (var entry in _servers.Values)
            {
                var realServers = entry.RealServers.Values.OrderBy(r => r.Model.Key)
                    .Select(r => new RealServerStatus(r.Model.Key.Address.ToString(), r.Model.Key.Port, CurrentWeight(entry, r), r.Alive)).ToList();
                var protocol = entry.Config.Protocol.ToString().ToUpperInvariant();
                var address = entry.Config.Fwmark is { } mark ? FormattableString.Invariant($"fwmark {mark}")
                    : entry.Config.Group is { } group ? $"group {group}" : entry.Config.Address?.ToString() ?? "";
                list.Add(new VirtualServerStatus(address, entry.Config.Port, protocol, realServers));
            }
            return list;
        }
    }

    private int CurrentWeight(VirtualServerEntry entry, RealServerEntry rs) =>
        Desired.Services.TryGetValue(entry.Model.Services.Count > 0 ? entry.Model.Services[0] : default, out var service) && service.Destinations.TryGetValue(rs.Model.Key, out var d)
            ? d.Weight
            : 0;

    private LvsApplyResult Load(KeepalivedConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<string>();
        var warnings = new List<string>();
        var models = LvsModelMapper.Map(config, errors);
        lock (_gate)
        {
            if (_notifier is null || config.GlobalDefs != _config.GlobalDefs)
            {
                // FIFOs, smtp_server and script_user live in global_defs: a change there makes a new notifier.
                var old = _notifier;
                _notifier = new LvsNotifier(config.GlobalDefs, _notifyRunner, _logger, Mail);
                if (old is not null) _ = Task.Run(async () => await old.DisposeAsync().ConfigureAwait(false));
            }
            var next = new Dictionary<string, VirtualServerEntry>(StringComparer.Ordinal);
            var vsConfigs = config.VirtualServers.ToDictionary(v => v.ToString(), StringComparer.Ordinal);
            foreach (var model in models)
            {
                var problems = _plane.Validate(model);
                if (problems.Count > 0)
                {
                    errors.AddRange(problems);
                    continue;
                }
                var vsConfig = vsConfigs[model.Name];
                _notifier.Prepare(vsConfig);
                _servers.TryGetValue(model.Name, out var old);
                var entry = new VirtualServerEntry(model, vsConfig, new VirtualServerQuorum(new QuorumOptions(
                    model.Name, vsConfig.Quorum, vsConfig.Hysteresis, model.SorryServer is not null, 1, model.SorryServerInhibit)));
                foreach (var (rs, rsModel) in vsConfig.RealServers.Zip(model.RealServers))
                {
                    var id = new RealServerId(model.Name, LvsModelMapper.RealServerName(rsModel.Key));
                    if (old is not null && old.RealServers.TryGetValue(id.RealServer, out var kept) && kept.Config == rs && old.Config.Alpha == vsConfig.Alpha)
                    {
                        entry.RealServers[id.RealServer] = kept with { Model = rsModel };
                        continue;
                    }
                    if (old is not null && old.RealServers.ContainsKey(id.RealServer)) _runner.Remove(id);
                    var checkers = CheckerMapper.Map(config, rs, new IPEndPoint(rsModel.Key.Address, rsModel.Key.Port), _probes, warnings);
                    var health = checkers.Count > 0 ? _runner.Add(id, rs.Weight, checkers) : null;
                    entry.RealServers[id.RealServer] = new RealServerEntry(id, rs, rsModel, health?.IsAlive ?? true, health?.Weight ?? rs.Weight);
                }
                next.Add(model.Name, entry);
            }
            // Real servers (and whole virtual servers) that left: stop their checkers.
            foreach (var (name, old) in _servers)
            {
                foreach (var rs in old.RealServers.Values)
                {
                    if (!next.TryGetValue(name, out var n) || !n.RealServers.ContainsKey(rs.Id.RealServer))
                    {
                        _runner.Remove(rs.Id);
                        _lastUpChecker.Remove(rs.Id);
                    }
                }
            }
            var previous = _servers;
            _servers = next;
            _config = config;
            foreach (var entry in _servers.Values)
            {
                UpdateQuorum(entry);
                if (!previous.TryGetValue(entry.Model.Name, out var before))
                {
                    // keepalived compat (observed): a virtual server that starts with quorum announces it
                    // (quorum_up, "VS ... UP", mail "Starting with quorum up"); one that starts without (alpha) is silent.
                    if (entry.Quorum.HasQuorum) _notifier.VirtualServer(entry.Config, up: true, starting: true, entry.Quorum.LiveWeight);
                }
                else if (before.Quorum.HasQuorum != entry.Quorum.HasQuorum)
                {
                    _notifier.VirtualServer(entry.Config, entry.Quorum.HasQuorum, starting: false, entry.Quorum.LiveWeight);
                }
            }
            ApplyLocked(warnings);
        }
        foreach (var e in errors) BalancingLog.ConfigError(_logger, e);
        foreach (var w in warnings) BalancingLog.ConfigWarning(_logger, w);
        return new LvsApplyResult(errors, warnings);
    }

    private async Task ProcessEventsAsync()
    {
        await foreach (var e in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            ChecksLog.Log(_logger, e);
            lock (_gate)
            {
                if (e is CheckerStateChanged { IsUp: true } changed) _lastUpChecker[e.Server] = changed.Checker;
                if (!_servers.TryGetValue(e.Server.VirtualServer, out var entry) || !entry.RealServers.TryGetValue(e.Server.RealServer, out var rs)) continue;
                var updated = e switch
                {
                    RealServerUp up => rs with { Alive = true, Weight = up.Weight },
                    RealServerDown => rs with { Alive = false },
                    WeightChanged w => rs with { Weight = w.NewWeight },
                    _ => rs,
                };
                if (updated == rs) continue;
                entry.RealServers[rs.Id.RealServer] = updated;
                if (updated.Alive != rs.Alive)
                {
                    var (checker, reason) = e is RealServerDown down ? (down.Checker, down.Reason) : (_lastUpChecker.GetValueOrDefault(e.Server), null);
                    _notifier?.RealServer(entry.Config, rs.Config, updated.Alive, checker, reason);
                }
                foreach (var q in UpdateQuorum(entry))
                {
                    if (q is QuorumUp or QuorumDown) _notifier?.VirtualServer(entry.Config, q is QuorumUp, starting: false, entry.Quorum.LiveWeight);
                }
                ApplyLocked(null);
            }
        }
    }

    private IReadOnlyList<QuorumEvent> UpdateQuorum(VirtualServerEntry entry)
    {
        var members = entry.RealServers.Values.Select(r => new MemberStatus(r.Id, r.Alive, r.Weight, r.Model.InhibitOnFailure)).ToList();
        var events = entry.Quorum.Update(members, out _);
        foreach (var q in events) ChecksLog.Log(_logger, q);
        return events;
    }

    private void ApplyLocked(List<string>? warnings)
    {
        var desired = DesiredStateBuilder.Build(_servers.Values.Select(s => s.Model), name =>
        {
            var entry = _servers[name];
            return new VirtualServerHealth(entry.Quorum.SorryServerActive,
                entry.RealServers.Values.ToDictionary(r => r.Model.Key, r => new RealServerHealthView(r.Alive, r.Weight)));
        }, out var problems);
        warnings?.AddRange(problems);
        try
        {
            var owned = _owned.ToHashSet();
            _plane.Apply(desired, k => owned.Contains(k));
            Desired = desired;
            _owned.Clear();
            _owned.UnionWith(desired.Services.Keys);
            Applications++;
        }
        catch (Vigil.Linux.KernelException e)
        {
            BalancingLog.ApplyFailed(_logger, _plane.Name, e.Message);
        }
    }

    private sealed record VirtualServerEntry(VirtualServerModel Model, VirtualServerConfig Config, VirtualServerQuorum Quorum)
    {
        public Dictionary<string, RealServerEntry> RealServers { get; } = new(StringComparer.Ordinal);
    }

    private sealed record RealServerEntry(RealServerId Id, RealServerConfig Config, RealServerModel Model, bool Alive, int Weight);
}

internal static partial class BalancingLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Error, Message = "{Message}")]
    public static partial void ConfigError(ILogger logger, string message);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "{Message}")]
    public static partial void ConfigWarning(ILogger logger, string message);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "{DataPlane} data plane: {Message}")]
    public static partial void ApplyFailed(ILogger logger, string dataPlane, string message);
}
