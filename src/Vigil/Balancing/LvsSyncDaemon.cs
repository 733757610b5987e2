using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux;
using Vigil.Linux.Ipvs;
using Vigil.Linux.Namespaces;
using VrrpState = Vigil.Vrrp.Fsm.VrrpState;

namespace Vigil.Balancing;

/// <summary>
/// global_defs lvs_sync_daemon: the kernel's IPVS connection sync daemons, following one VRRP instance
/// as keepalived's VRRP process does. At start the backup daemon runs; when the instance enters MASTER the
/// backup one stops and the master one starts; leaving MASTER reverses that. Without an instance name both
/// run all the time. Stop (dispose) ends both. The sync id is the configured id, else the instance's VRID.
/// Calls come from the VRRP loop, one at a time; each is one or two netlink requests.
/// </summary>
internal sealed partial class LvsSyncDaemon : IDisposable
{
    private readonly IpvsClient _client;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private LvsSyncDaemonConfig _config;
    private uint _syncId;
    private readonly HashSet<IpvsSyncState> _running = [];
    private bool _disposed;

    private LvsSyncDaemon(IpvsClient client, LvsSyncDaemonConfig config, uint syncId, ILogger log)
    {
        _client = client;
        _config = config;
        _syncId = syncId;
        _log = log;
    }

    /// <summary>The instance the daemons follow; null when both run.</summary>
    public string? Instance => _config.Instance;

    /// <summary>The daemons vigil started and has not stopped.</summary>
    public IReadOnlyCollection<IpvsSyncState> Running
    {
        get
        {
            lock (_gate)
            {
                return [.. _running];
            }
        }
    }

    /// <summary>
    /// Starts the daemons <paramref name="config"/> asks for (backup, or both without an instance). Null when
    /// there is no lvs_sync_daemon or the kernel has no IPVS (logged).
    /// </summary>
    public static LvsSyncDaemon? Start(KeepalivedConfig config, NetworkNamespace? ns, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        if (config.GlobalDefs.LvsSyncDaemon is not { } sync) return null;
        IpvsClient? client;
        try
        {
            client = IpvsClient.TryOpen(ns);
        }
        catch (Exception e) when (e is KernelException or DllNotFoundException or EntryPointNotFoundException)
        {
            LogNoIpvs(log, e.Message);
            return null;
        }
        if (client is null)
        {
            LogNoIpvs(log, "the kernel has no IPVS generic netlink family (modprobe ip_vs)");
            return null;
        }
        var daemon = new LvsSyncDaemon(client, sync, SyncId(config, sync), log);
        daemon.StartInitial();
        return daemon;
    }

    /// <summary>The VRRP instance <paramref name="instance"/> is now in <paramref name="state"/>.</summary>
    public void OnInstanceState(string instance, VrrpState state)
    {
        lock (_gate)
        {
            if (_disposed || _config.Instance is null || !string.Equals(instance, _config.Instance, StringComparison.Ordinal)) return;
            Converge(IpvsSyncDaemon.Wanted(followsInstance: true, instanceIsMaster: state == VrrpState.Master));
        }
    }

    /// <summary>Reload: a changed lvs_sync_daemon restarts the daemons with the new settings (backup first, as at start).</summary>
    public void Reconfigure(KeepalivedConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        lock (_gate)
        {
            if (_disposed || config.GlobalDefs.LvsSyncDaemon is not { } sync) return;
            var syncId = SyncId(config, sync);
            if (sync == _config && syncId == _syncId) return;
            StopAll();
            _config = sync;
            _syncId = syncId;
            StartInitialLocked();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            StopAll();
        }
        _client.Dispose();
    }

    /// <summary>The IPVS_CMD_NEW_DAEMON settings of one state.</summary>
    internal static IpvsSyncDaemon Settings(LvsSyncDaemonConfig config, uint syncId, IpvsSyncState state) =>
        new(state, config.Interface, syncId, (ushort)(config.MaxLength ?? 0), config.Group, (ushort)config.Port, (byte)(config.Ttl ?? 0));

    /// <summary>keepalived compat: without "id", the sync id is the followed instance's VRID.</summary>
    internal static uint SyncId(KeepalivedConfig config, LvsSyncDaemonConfig sync)
    {
        if (sync.SyncId is { } id) return (uint)id;
        var instance = sync.Instance is null ? null : config.VrrpInstances.FirstOrDefault(i => string.Equals(i.Name, sync.Instance, StringComparison.Ordinal));
        return instance is null ? 0u : (uint)instance.VirtualRouterId;
    }

    private void StartInitial()
    {
        lock (_gate)
        {
            StartInitialLocked();
        }
    }

    private void StartInitialLocked() => Converge(IpvsSyncDaemon.Wanted(_config.Instance is not null, instanceIsMaster: false));

    /// <summary>Stops what is not wanted first (the kernel runs one daemon per state), then starts what is missing.</summary>
    private void Converge(IReadOnlySet<IpvsSyncState> wanted)
    {
        foreach (var state in _running.Where(s => !wanted.Contains(s)).ToList()) StopOne(state);
        foreach (var state in wanted.Order()) StartOne(state);
    }

    private void StopAll()
    {
        StopOne(IpvsSyncState.Master);
        StopOne(IpvsSyncState.Backup);
    }

    private void StartOne(IpvsSyncState state)
    {
        if (_running.Contains(state)) return;
        var settings = Settings(_config, _syncId, state);
        try
        {
            _client.StartDaemon(settings);
            _running.Add(state);
            LogStarted(_log, state == IpvsSyncState.Master ? "master" : "backup", settings.Interface, settings.SyncId);
        }
        catch (KernelException e)
        {
            LogFailed(_log, state == IpvsSyncState.Master ? "master" : "backup", e.Message);
        }
    }

    private void StopOne(IpvsSyncState state)
    {
        if (!_running.Remove(state)) return;
        try
        {
            _client.StopDaemon(state);
            LogStopped(_log, state == IpvsSyncState.Master ? "master" : "backup");
        }
        catch (KernelException e)
        {
            LogFailed(_log, state == IpvsSyncState.Master ? "master" : "backup", e.Message);
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Error, Message = "lvs_sync_daemon: {Error}; no IPVS sync daemon is run")]
    private static partial void LogNoIpvs(ILogger logger, string error);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Starting IPVS {State} sync daemon on {Interface}, syncid {SyncId}")]
    private static partial void LogStarted(ILogger logger, string state, string @interface, uint syncId);

    [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "Stopping IPVS {State} sync daemon")]
    private static partial void LogStopped(ILogger logger, string state);

    [LoggerMessage(EventId = 63, Level = LogLevel.Error, Message = "IPVS {State} sync daemon: {Error}")]
    private static partial void LogFailed(ILogger logger, string state, string error);
}
