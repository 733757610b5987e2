using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using Vigil.Linux.Vrrp;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp;

/// <summary>
/// Runs the VRRP instances of a configuration: one router per vrrp_instance on the event loop, one raw
/// socket per (interface, family, source address) whose received adverts are dispatched by VRID.
/// </summary>
internal sealed partial class VrrpHost : IAsyncDisposable
{
    private const int ReceiveBufferBytes = 2048;

    private readonly EventLoop _loop;
    private readonly RouteNetlink _rtnl;
    private readonly NetworkNamespace? _namespace;
    private readonly IGratuitousAnnouncer _announcer;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly Action<RunningInstance, VrrpStateChange> _onStateChange;
    private readonly Dictionary<SocketKey, Channel> _channels = [];
    private readonly List<RunningInstance> _instances = [];
    private readonly CancellationTokenSource _stop = new();

    public VrrpHost(EventLoop loop, RouteNetlink rtnl, NetworkNamespace? ns, IGratuitousAnnouncer announcer, ILoggerFactory logs,
        Action<RunningInstance, VrrpStateChange>? onStateChange = null)
    {
        _loop = loop;
        _rtnl = rtnl;
        _namespace = ns;
        _announcer = announcer;
        _logs = logs;
        _log = logs.CreateLogger("Vigil.Vrrp");
        _onStateChange = onStateChange ?? ((_, _) => { });
    }

    /// <summary>The instances, for status and dumps. Read them on the loop (or accept a torn read of counters).</summary>
    public IReadOnlyList<RunningInstance> Instances => _instances;

    /// <summary>
    /// Creates and starts a router for each instance. Call on the loop thread. An instance whose interface
    /// or source address cannot be resolved is logged and skipped; the others run.
    /// </summary>
    public void Start(KeepalivedConfig config, TimeSpan now)
    {
        _global = config.GlobalDefs;
        _tracking = NewTracking(config);
        foreach (var instance in config.VrrpInstances)
        {
            Add(instance, config.GlobalDefs, now);
        }
        _tracking.StartSources();
    }

    private TrackingHost? _tracking;

    /// <summary>The trackers, sync groups and notifications of the running configuration (null before Start).</summary>
    internal TrackingHost? Tracking => _tracking;

    private TrackingHost NewTracking(KeepalivedConfig config, TrackingHost? previous = null) =>
        new(config, _loop, _rtnl, _namespace, new Linux.Scripts.ScriptRunner(TimeProvider.System), TimeProvider.System, _logs.CreateLogger("Vigil.Vrrp"), previous);

    private GlobalDefsConfig? _global;

    /// <summary>
    /// Applies a reloaded configuration as a diff (call on the loop): instances whose configuration is equal
    /// keep running untouched (state, timers and VIPs); changed ones whose identity (interface, VRID, family,
    /// version, source address, unicast or multicast) is the same keep their state too and take the new
    /// settings in place (priority, advert_int, VIPs added or removed while MASTER, preemption, GARP, notify
    /// lines, trackers: keepalived compat); removed ones stop (priority 0, VIPs released); added ones start;
    /// the rest (identity changed) are stopped and started again. Trackers whose definition is unchanged keep
    /// their current result.
    /// </summary>
    public ReloadSummary Apply(KeepalivedConfig config, TimeSpan now)
    {
        var wanted = config.VrrpInstances.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var groupsChanged = _global is not null
            && (!_global.VrrpMcastGroup4.Equals(config.GlobalDefs.VrrpMcastGroup4) || !_global.VrrpMcastGroup6.Equals(config.GlobalDefs.VrrpMcastGroup6));
        int kept = 0, removed = 0, restarted = 0, added = 0, resumed = 0;
        // Trackers are rebuilt from the new file, starting from the old results where the definition is the same;
        // the old ones let go of the routers now and stop in the background (their queued notifications finish).
        var oldTracking = _tracking;
        oldTracking?.Retire();
        _tracking = NewTracking(config, oldTracking);
        if (oldTracking is not null)
        {
            _ = Task.Run(async () => await oldTracking.DisposeAsync().ConfigureAwait(false));
        }
        foreach (var running in _instances.ToList())
        {
            if (!wanted.TryGetValue(running.Config.Name, out var next))
            {
                Remove(running, now);
                removed++;
            }
            else if (next == running.Config && !groupsChanged)
            {
                _tracking.Attach(running, now);
                kept++;
            }
            else if (!groupsChanged && TryResume(running, next, config.GlobalDefs, now))
            {
                kept++;
                resumed++;
            }
            else
            {
                Remove(running, now);
                Add(next, config.GlobalDefs, now);
                restarted++;
            }
        }
        foreach (var instance in config.VrrpInstances)
        {
            if (!_instances.Any(r => r.Config.Name == instance.Name))
            {
                Add(instance, config.GlobalDefs, now);
                added++;
            }
        }
        _global = config.GlobalDefs;
        _tracking.StartSources();
        return new ReloadSummary(kept, added, removed, restarted, resumed);
    }

    /// <summary>
    /// A changed instance of the same identity: a new router (and effects) for the new configuration continues the
    /// running router's state (<see cref="VrrpRouter.Resume"/>); nothing goes on the wire, no state change. False
    /// when the identity changed (or the new configuration cannot be built): the caller restarts the instance.
    /// </summary>
    private bool TryResume(RunningInstance running, VrrpInstanceConfig next, GlobalDefsConfig global, TimeSpan now)
    {
        if ((next.Interface ?? global.DefaultInterface ?? "eth0") != running.InterfaceName || !InPlaceCapable(running.Config) || !InPlaceCapable(next))
        {
            return false;
        }
        var vrid = running.Router.Options.VirtualRouterId;
        var home = _channels.Values.FirstOrDefault(c => c.Routers.TryGetValue(vrid, out var r) && r == running);
        RunningInstance fresh;
        try
        {
            fresh = Create(next, global);
        }
        catch (Exception e) when (e is KernelException or InvalidOperationException or ArgumentException)
        {
            LogInstanceFailed(_log, next.Name, e.Message);
            return false;
        }
        if (!fresh.Router.CanResume(running.Router))
        {
            // Create registered the new router in its channel; undo that, the caller stops the old one and starts anew.
            Unregister(fresh);
            if (home is not null)
            {
                home.Routers[vrid] = running;
            }
            return false;
        }
        fresh.Router.Resume(running.Router, now);
        _loop.Remove(running.Timed);
        Unregister(running);
        _instances[_instances.IndexOf(running)] = fresh;
        _loop.Add(fresh.Timed);
        _tracking?.Attach(fresh, now);
        LogResumed(_log, next.Name, fresh.Router.State);
        return true;
    }

    // The effects of use_vmac (a refcounted macvlan), no_accept (a firewall member whose drop set the new effects
    // would reset) and virtual routes/rules (installed by the old effects, unknown to new ones) belong to one
    // effects object for the instance's whole MASTER life: those instances restart on a change, as before.
    private static bool InPlaceCapable(VrrpInstanceConfig instance) =>
        instance.UseVmac is null && instance.Accept && instance.VirtualRoutes.Count == 0 && instance.VirtualRules.Count == 0;

    private void Unregister(RunningInstance running)
    {
        foreach (var channel in _channels.Values)
        {
            if (channel.Routers.TryGetValue(running.Router.Options.VirtualRouterId, out var r) && r == running)
            {
                channel.Routers.Remove(running.Router.Options.VirtualRouterId);
            }
        }
    }

    private void Add(VrrpInstanceConfig instance, GlobalDefsConfig global, TimeSpan now)
    {
        try
        {
            var running = Create(instance, global);
            _instances.Add(running);
            _loop.Add(running.Timed);
            _tracking?.Attach(running, now);
            running.Router.Start(now);
        }
        catch (Exception e) when (e is KernelException or InvalidOperationException or ArgumentException)
        {
            LogInstanceFailed(_log, instance.Name, e.Message);
        }
    }

    private void Remove(RunningInstance running, TimeSpan now)
    {
        running.Router.Stop(now);
        _tracking?.Detach(running);
        _loop.Remove(running.Timed);
        _instances.Remove(running);
        Unregister(running);
    }

    private RunningInstance Create(VrrpInstanceConfig instance, GlobalDefsConfig global)
    {
        var ifname = instance.Interface ?? global.DefaultInterface ?? "eth0";
        var link = _rtnl.GetLink(ifname) ?? throw new InvalidOperationException($"interface {ifname} does not exist");
        var family = VrrpOptionsMapper.FamilyOf(instance);
        var source = instance.UnicastPeers.Count > 0 ? instance.UnicastSrcIp ?? instance.McastSrcIp : instance.McastSrcIp ?? instance.UnicastSrcIp;
        source ??= PrimaryAddress(link.Index, family) ?? throw new InvalidOperationException($"interface {ifname} has no {(family == AddressFamily.InterNetworkV6 ? "IPv6 link-local" : "IPv4")} address to send adverts from");
        var options = VrrpOptionsMapper.Map(instance, global, source).Normalize(out var adjustments);
        foreach (var note in adjustments)
        {
            LogAdjusted(_log, instance.Name, note);
        }
        // use_vmac: a macvlan with the virtual MAC carries the VIPs and, unless vmac_xmit_base, the adverts (sent from the
        // interface's own address, which the VMAC does not have: IPv4 primary, or the link-local it shares).
        VmacLinks? vmacs = null;
        LinkInfo? vmac = null;
        if (instance.UseVmac is not null)
        {
            vmacs = VmacLinks.For(_rtnl, _namespace, _log, work => _loop.Post(_ => work()));
            vmac = vmacs.Acquire(instance, global, link, family == AddressFamily.InterNetworkV6);
        }
        Channel channel;
        try
        {
            var socketInterface = vmac is not null && !instance.VmacXmitBase ? vmac.Name : ifname;
            channel = ChannelFor(new SocketKey(socketInterface, family, source, options.UnicastPeers.Count > 0), options);
        }
        catch (Exception) when (vmac is not null)
        {
            vmacs!.Release(vmac.Name, keep: false);
            throw;
        }
        // no_accept (vrrp_strict implies it below priority 255) and VMACs need keepalived's nftables table.
        StrictModeFirewall? firewall = null;
        if (!instance.Accept || vmac is not null)
        {
            firewall = StrictModeFirewall.For(_rtnl, _namespace, _log);
            firewall.Register(instance.Name, family, filter: !instance.Accept, vmac is null ? null : new Linux.Nftables.VrrpVmacLink(vmac.Name, ifname));
        }
        RunningInstance? running = null;
        var effects = new LinuxVrrpEffects(instance, channel.Socket, _rtnl, _announcer,
            change =>
            {
                _onStateChange(running!, change);
                _tracking?.OnStateChanged(running!, change);
            }, _logs.CreateLogger("Vigil.Vrrp"), vmac, vmacs, ifname, firewall);
        effects.OnMasterReceivedLowerPriority = i => _tracking?.Notify.MasterRxLowerPriority(i);
        var router = new VrrpRouter(options, effects, _logs.CreateLogger("Vigil.Vrrp"));
        running = new RunningInstance(instance, router, effects, ifname, () => _loop.Now, TakeoverLatency);
        channel.Routers[options.VirtualRouterId] = running;
        return running;
    }

    private IPAddress? PrimaryAddress(int index, AddressFamily family)
    {
        var addresses = _rtnl.GetAddresses(index, family);
        // keepalived compat: IPv4 adverts come from the interface's primary address; IPv6 ones from its link-local.
        return family == AddressFamily.InterNetworkV6
            ? addresses.FirstOrDefault(a => a.Address.IsIPv6LinkLocal)?.Address
            : addresses.FirstOrDefault(a => (a.Flags & AddressFlags.Secondary) == 0)?.Address;
    }

    private Channel ChannelFor(SocketKey key, VrrpInstanceOptions options)
    {
        if (_channels.TryGetValue(key, out var existing))
        {
            return existing;
        }
        // Raw sockets each get a copy of every VRRP packet on the interface: only the first socket of an
        // (interface, family) reads; the others only send, so no advert is handled twice.
        var reads = !_channels.Keys.Any(k => k.Interface == key.Interface && k.Family == key.Family);
        var socket = VrrpSocket.Open(new VrrpSocketOptions(key.Interface, key.Family)
        {
            SourceAddress = key.Source,
            MulticastGroup = options.MulticastGroup,
            JoinMulticastGroup = !key.Unicast,
        }, _namespace);
        var channel = new Channel(key, socket);
        _channels[key] = channel;
        if (reads)
        {
            channel.Receiving = Task.Run(() => ReceiveLoopAsync(channel));
        }
        return channel;
    }

    private async Task ReceiveLoopAsync(Channel channel)
    {
        var buffer = new byte[ReceiveBufferBytes];
        while (!_stop.IsCancellationRequested)
        {
            VrrpDatagram datagram;
            try
            {
                datagram = await channel.Socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is KernelException or SocketException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
                LogReceiveFailed(_log, channel.Key.Interface, e.Message);
                continue;
            }
            var copy = ArrayPool<byte>.Shared.Rent(datagram.Datagram.Length);
            datagram.Datagram.CopyTo(copy);
            var length = datagram.Datagram.Length;
            var payloadOffset = length - datagram.Payload.Length;
            var info = new VrrpReceiveInfo(datagram.Source, datagram.Destination, datagram.HopLimit);
            var family = channel.Key.Family;
            var iface = channel.Key.Interface;
            _loop.Post(now =>
            {
                try
                {
                    Dispatch(iface, family, copy.AsSpan(0, length), payloadOffset, info, now);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(copy);
                }
            });
        }
    }

    private void Dispatch(string iface, AddressFamily family, ReadOnlySpan<byte> datagram, int payloadOffset, in VrrpReceiveInfo info, TimeSpan now)
    {
        var payload = datagram[payloadOffset..];
        if (!VrrpCodec.TryPeek(payload, out _, out var vrid) && !(family == AddressFamily.InterNetwork && TryPeekBehindAh(payload, out vrid)))
        {
            UnknownPackets++;
            return;
        }
        RunningInstance? target = null;
        foreach (var channel in _channels.Values)
        {
            if (channel.Key.Interface == iface && channel.Key.Family == family && channel.Routers.TryGetValue(vrid, out var r))
            {
                target = r;
                break;
            }
        }
        if (target is null)
        {
            UnknownVridPackets++;
            return;
        }
        var reason = family == AddressFamily.InterNetwork
            ? target.Router.OnIPv4Datagram(datagram, now)
            : target.Router.OnPacket(payload, info, now);
        if (reason != VrrpDropReason.None)
        {
            LogDropped(_log, target.Config.Name, info.Source, reason);
        }
    }

    // AH (protocol 51) puts its 24-byte header in front of the VRRP message [RFC 2402 §2].
    private static bool TryPeekBehindAh(ReadOnlySpan<byte> payload, out byte vrid)
    {
        vrid = 0;
        return payload.Length > 24 && VrrpCodec.TryPeek(payload[24..], out _, out vrid);
    }

    /// <summary>Master-down timer expiry to VIPs installed and GARPs sent, for every timer takeover.</summary>
    public LatencyRecorder TakeoverLatency { get; } = new();

    /// <summary>Packets that were not VRRP at all.</summary>
    public long UnknownPackets { get; private set; }

    /// <summary>Adverts for a VRID no instance here runs (keepalived's log_unknown_vrids counts these).</summary>
    public long UnknownVridPackets { get; private set; }

    /// <summary>Stops every router: masters send priority 0; VIPs are removed unless <paramref name="releaseAddresses"/>
    /// is false (-V). Call on the loop.</summary>
    public void StopAll(TimeSpan now, bool releaseAddresses = true)
    {
        foreach (var instance in _instances)
        {
            instance.Effects.KeepAddresses = !releaseAddresses;
            instance.Router.Stop(now);
            _loop.Remove(instance.Timed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_tracking is not null)
        {
            await _tracking.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var channel in _channels.Values)
        {
            channel.Socket.Dispose();
        }
        foreach (var channel in _channels.Values)
        {
            if (channel.Receiving is { } task)
            {
                await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            }
        }
        _stop.Dispose();
    }

    private readonly record struct SocketKey(string Interface, AddressFamily Family, IPAddress Source, bool Unicast);

    private sealed class Channel(SocketKey key, VrrpSocket socket)
    {
        public SocketKey Key { get; } = key;
        public VrrpSocket Socket { get; } = socket;
        public Dictionary<byte, RunningInstance> Routers { get; } = [];
        public Task? Receiving { get; set; }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "({Name}) cannot start: {Error}")]
    private static partial void LogInstanceFailed(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "({Name}) {Adjustment}")]
    private static partial void LogAdjusted(ILogger logger, string name, string adjustment);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "VRRP receive on {Interface} failed: {Error}")]
    private static partial void LogReceiveFailed(ILogger logger, string @interface, string error);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information, Message = "({Name}) configuration changed, applied in place; staying in {State} state")]
    private static partial void LogResumed(ILogger logger, string name, string state);

    private static void LogResumed(ILogger logger, string name, Fsm.VrrpState state)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var text = Notify.VrrpNotifyFormat.StateName(state);
            LogResumed(logger, name, text);
        }
    }

    [LoggerMessage(EventId = 4204, Level = LogLevel.Debug, Message = "({Name}) dropped advert from {Source}: {Reason}")]
    private static partial void LogDropped(ILogger logger, string name, IPAddress source, VrrpDropReason reason);
}

/// <summary>What a reload did to the VRRP instances. <paramref name="Kept"/> counts every instance whose state
/// carried over, <paramref name="Resumed"/> those of them whose configuration changed (applied in place).</summary>
internal readonly record struct ReloadSummary(int Kept, int Added, int Removed, int Restarted, int Resumed = 0);

/// <summary>One vrrp_instance while it runs.</summary>
internal sealed class RunningInstance
{
    public RunningInstance(VrrpInstanceConfig config, VrrpRouter router, LinuxVrrpEffects effects, string interfaceName,
        Func<TimeSpan> clock, LatencyRecorder takeovers)
    {
        Config = config;
        Router = router;
        Effects = effects;
        InterfaceName = interfaceName;
        Timed = new RouterTimer(router, clock, takeovers);
    }

    public VrrpInstanceConfig Config { get; }
    public VrrpRouter Router { get; }
    public LinuxVrrpEffects Effects { get; }
    public string InterfaceName { get; }
    public ITimed Timed { get; }

    private sealed class RouterTimer(VrrpRouter router, Func<TimeSpan> clock, LatencyRecorder takeovers) : ITimed
    {
        public TimeSpan NextDeadline => router.NextDeadline;

        public void OnTimer(TimeSpan now)
        {
            var due = router.NextDeadline;
            var wasBackup = router.State == Fsm.VrrpState.Backup;
            router.OnTimer(now);
            if (wasBackup && router.State == Fsm.VrrpState.Master)
            {
                // From the master-down deadline to VIPs installed and the first GARP burst sent (all synchronous effects).
                takeovers.Record(clock() - due);
            }
        }
    }
}
