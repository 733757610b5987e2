using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Vigil.Balancing.Model;
using Vigil.Balancing.Reconcile;
using Vigil.Linux.Ipvs;

namespace Vigil.Balancing;

/// <summary>
/// The IPVS data plane: reads the kernel's services back, diffs them against the desired state and
/// applies the commands one by one. Services vigil did not create are left alone.
/// </summary>
internal sealed class IpvsBackend(IpvsClient client) : IDataPlane
{
    /// <summary>The schedulers of Linux's net/netfilter/ipvs (twos since 5.x).</summary>
    private static readonly HashSet<string> Schedulers = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"];

    private static readonly HashSet<string> Flags = ["ops", "hashed", "flag-1", "flag-2", "flag-3", "sh-fallback", "sh-port", "mh-fallback", "mh-port"];

    public string Name => "ipvs";

    public IReadOnlyList<string> Validate(VirtualServerModel virtualServer)
    {
        ArgumentNullException.ThrowIfNull(virtualServer);
        var errors = new List<string>();
        if (!Schedulers.Contains(virtualServer.Spec.Scheduler))
            errors.Add($"virtual_server {virtualServer.Name}: lb_algo {virtualServer.Spec.Scheduler} is not an IPVS scheduler");
        foreach (var f in virtualServer.Spec.Flags.Where(f => !Flags.Contains(f)))
            errors.Add($"virtual_server {virtualServer.Name}: unknown scheduler flag {f} for the ipvs data plane");
        return errors;
    }

    public void Apply(DataPlaneState desired, Func<ServiceKey, bool> owned)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var canonical = DataPlaneState.From(desired.Services.Values.Select(s => s with
        {
            Spec = Canonical(s.Spec),
            Destinations = s.Key.IsFwmark ? FwmarkDestinations(s.Destinations) : s.Destinations,
        }));
        foreach (var command in Reconciler.Diff(canonical, ReadBack(), owned)) Execute(command, canonical);
    }

    public void Remove(IEnumerable<ServiceKey> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var present = ReadBack();
        foreach (var key in services.Where(present.Services.ContainsKey)) client.DeleteService(ToService(key, present.Services[key].Spec));
    }

    public void Dispose() => client.Dispose();

    /// <summary>lvs_flush, lvs_flush_on_stop: every service and destination, vigil's or not.</summary>
    public void Flush() => client.Flush();

    /// <summary>The connection timeouts now in force (to restore at stop).</summary>
    public IpvsTimeouts GetTimeouts() => client.GetTimeouts();

    /// <summary>lvs_timeouts; a 0 field is left unchanged by the kernel.</summary>
    public void SetTimeouts(IpvsTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        client.SetTimeouts(timeouts.Tcp, timeouts.TcpFin, timeouts.Udp);
    }

    /// <summary>
    /// keepalived compat: a fwmark service's DR and TUN real servers get port 0 ("real server ... has port
    /// specified - clearing"); NAT ones keep theirs. Two that then coincide are one destination, the first kept.
    /// </summary>
    internal static IReadOnlyDictionary<DestinationKey, DestinationSpec> FwmarkDestinations(IReadOnlyDictionary<DestinationKey, DestinationSpec> destinations)
    {
        if (destinations.All(d => d.Key.Port == 0 || d.Value.Method == ForwardingMethod.Nat)) return destinations;
        var result = new Dictionary<DestinationKey, DestinationSpec>();
        foreach (var (key, spec) in destinations.OrderBy(d => d.Key))
        {
            result.TryAdd(spec.Method == ForwardingMethod.Nat ? key : key with { Port = 0 }, spec);
        }
        return result;
    }

    /// <summary>The kernel's services and destinations as a <see cref="DataPlaneState"/>.</summary>
    public DataPlaneState ReadBack()
    {
        var states = new List<ServiceState>();
        foreach (var s in client.ListServices())
        {
            var key = s.Fwmark != 0
                ? ServiceKey.ForFwmark(s.Fwmark, s.Family)
                : ServiceKey.ForAddress(s.Address!, s.Port, s.Protocol switch { IpvsProtocol.Tcp => ServiceProtocol.Tcp, IpvsProtocol.Udp => ServiceProtocol.Udp, _ => ServiceProtocol.Sctp });
            var dests = client.ListDestinations(s).ToDictionary(
                d => new DestinationKey(d.Address, d.Port),
                d => new DestinationSpec(FromForwarding(d.Forwarding), d.Weight, (int)d.UpperThreshold, (int)d.LowerThreshold, FromTunnel(d.Tunnel)));
            states.Add(new ServiceState(key, FromService(s), dests));
        }
        return DataPlaneState.From(states);
    }

    /// <summary>Flags as the kernel reports them back: scheduler-specific names, no "hashed" (the kernel sets it).</summary>
    internal static ServiceSpec Canonical(ServiceSpec spec)
    {
        var flags = ToFlags(spec);
        return ServiceSpec.Create(spec.Scheduler, FlagNames(spec.Scheduler, flags), spec.PersistenceTimeout,
            spec.PersistenceTimeout is null ? null : spec.PersistenceGranularity, spec.PersistenceEngine);
    }

    internal static IpvsService ToService(ServiceKey key, ServiceSpec spec)
    {
        var family = key.Family;
        var flags = ToFlags(spec) | (spec.PersistenceTimeout is null ? IpvsServiceFlags.None : IpvsServiceFlags.Persistent);
        uint netmask = 0;
        if (spec.PersistenceGranularity is { } prefix)
        {
            if (family == AddressFamily.InterNetworkV6) netmask = (uint)prefix;
            else
            {
                Span<byte> mask = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(mask, prefix == 0 ? 0 : uint.MaxValue << (32 - prefix));
                netmask = BinaryPrimitives.ReadUInt32LittleEndian(mask);
            }
        }
        return new IpvsService(family, Protocol(key.Protocol), key.Address, (ushort)key.Port, key.Fwmark, spec.Scheduler, flags,
            (uint)(spec.PersistenceTimeout?.TotalSeconds ?? 0), netmask, spec.PersistenceEngine);
    }

    internal static IpvsDestination ToDestination(DestinationKey key, DestinationSpec spec) =>
        new(key.Address, (ushort)key.Port, spec.Method switch
        {
            ForwardingMethod.DirectRoute => IpvsForwarding.DirectRoute,
            ForwardingMethod.Tunnel => IpvsForwarding.Tunnel,
            _ => IpvsForwarding.Masquerade,
        }, spec.Weight, (uint)spec.UpperThreshold, (uint)spec.LowerThreshold, spec.Method == ForwardingMethod.Tunnel ? ToTunnel(spec.Tunnel) : null);

    private void Execute(DataPlaneCommand command, DataPlaneState desired)
    {
        switch (command)
        {
            case AddService a: client.AddService(ToService(a.Service, a.Spec)); break;
            case UpdateService u: client.UpdateService(ToService(u.Service, u.Spec)); break;
            case DeleteService d: client.DeleteService(ToService(d.Service, ServiceSpec.Create("rr"))); break;
            case AddDestination ad: client.AddDestination(ToService(ad.Service, desired.Services[ad.Service].Spec), ToDestination(ad.Destination, ad.Spec)); break;
            case UpdateDestination ud: client.UpdateDestination(ToService(ud.Service, desired.Services[ud.Service].Spec), ToDestination(ud.Destination, ud.Spec)); break;
            case DeleteDestination dd: client.DeleteDestination(ToService(dd.Service, desired.Services[dd.Service].Spec), ToDestination(dd.Destination, new DestinationSpec(ForwardingMethod.Nat, 0))); break;
        }
    }

    private static IpvsServiceFlags ToFlags(ServiceSpec spec)
    {
        var f = IpvsServiceFlags.None;
        foreach (var name in spec.Flags)
        {
            f |= name switch
            {
                "ops" => IpvsServiceFlags.OnePacket,
                "flag-1" or "sh-fallback" or "mh-fallback" => IpvsServiceFlags.Sched1,
                "flag-2" or "sh-port" or "mh-port" => IpvsServiceFlags.Sched2,
                "flag-3" => IpvsServiceFlags.Sched3,
                _ => IpvsServiceFlags.None,
            };
        }
        return f;
    }

    private static List<string> FlagNames(string scheduler, IpvsServiceFlags f)
    {
        var names = new List<string>();
        if (f.HasFlag(IpvsServiceFlags.OnePacket)) names.Add("ops");
        var prefix = scheduler is "sh" or "mh" ? scheduler : null;
        if (f.HasFlag(IpvsServiceFlags.Sched1)) names.Add(prefix is null ? "flag-1" : $"{prefix}-fallback");
        if (f.HasFlag(IpvsServiceFlags.Sched2)) names.Add(prefix is null ? "flag-2" : $"{prefix}-port");
        if (f.HasFlag(IpvsServiceFlags.Sched3)) names.Add("flag-3");
        return names;
    }

    private static ServiceSpec FromService(IpvsService s)
    {
        var persistent = s.Flags.HasFlag(IpvsServiceFlags.Persistent);
        int? granularity = null;
        if (persistent)
        {
            granularity = s.Family == AddressFamily.InterNetworkV6
                ? (int)s.Netmask
                : System.Numerics.BitOperations.PopCount(s.Netmask);
        }
        return ServiceSpec.Create(s.Scheduler, FlagNames(s.Scheduler, s.Flags), persistent ? TimeSpan.FromSeconds(s.Timeout) : null, granularity, s.PersistenceEngine);
    }

    private static IpvsProtocol Protocol(ServiceProtocol p) => p switch
    {
        ServiceProtocol.Tcp => IpvsProtocol.Tcp,
        ServiceProtocol.Udp => IpvsProtocol.Udp,
        _ => IpvsProtocol.Sctp,
    };

    private static ForwardingMethod FromForwarding(IpvsForwarding f) => f switch
    {
        IpvsForwarding.DirectRoute => ForwardingMethod.DirectRoute,
        IpvsForwarding.Tunnel => ForwardingMethod.Tunnel,
        _ => ForwardingMethod.Nat,
    };

    private static IpvsTunnel? ToTunnel(TunnelSpec? t)
    {
        if (t is null) return new IpvsTunnel(IpvsTunnelType.IpIp);
        var type = t.Type.ToUpperInvariant() switch { "GUE" => IpvsTunnelType.Gue, "GRE" => IpvsTunnelType.Gre, _ => IpvsTunnelType.IpIp };
        // IP_VS_TUNNEL_ENCAP_FLAG_CSUM 1, _REMCSUM 2.
        var flags = t.Checksum switch { "csum" => (ushort)1, "remcsum" => (ushort)2, _ => (ushort)0 };
        return new IpvsTunnel(type, (ushort)(t.Port ?? 0), flags);
    }

    private static TunnelSpec? FromTunnel(IpvsTunnel? t) => t is null ? null : new TunnelSpec(
        t.Type switch { IpvsTunnelType.Gue => "gue", IpvsTunnelType.Gre => "gre", _ => "ipip" },
        t.Type == IpvsTunnelType.Gue ? t.Port : null,
        t.Flags switch { 1 => "csum", 2 => "remcsum", _ => "nocsum" });
}
