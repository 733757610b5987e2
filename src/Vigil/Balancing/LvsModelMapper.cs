using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Vigil.Balancing.Model;
using Vigil.Config;

namespace Vigil.Balancing;

/// <summary>Turns the config's virtual_server blocks into the Balancing model (groups expanded).</summary>
internal static class LvsModelMapper
{
    public static IReadOnlyList<VirtualServerModel> Map(KeepalivedConfig config, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        var groups = config.VirtualServerGroups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        var list = new List<VirtualServerModel>();
        foreach (var vs in config.VirtualServers)
        {
            var name = vs.ToString();
            var protocol = Protocol(vs.Protocol);
            var family = vs.IpFamily == "inet6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            var services = new List<ServiceKey>();
            try
            {
                if (vs.Fwmark is { } mark) services.Add(ServiceKey.ForFwmark((uint)mark, family, protocol));
                else if (vs.Address is { } address) services.Add(ServiceKey.ForAddress(address, vs.Port, protocol));
                else if (vs.Group is { } group)
                {
                    if (!groups.TryGetValue(group, out var g))
                    {
                        problems.Add($"virtual_server group {group}: no such virtual_server_group");
                        continue;
                    }
                    foreach (var e in g.Entries)
                    {
                        if (e.Fwmark is { } m)
                            services.Add(ServiceKey.ForFwmark((uint)m, e.Family == "inet6" ? AddressFamily.InterNetworkV6 : family, protocol));
                        else if (e.Address is { } a) services.AddRange(ServiceKeys.Range(a, e.RangeEnd, e.Port, protocol));
                    }
                }
            }
            catch (ArgumentException e)
            {
                problems.Add($"virtual_server {name}: {e.Message}");
                continue;
            }

            var method = Method(vs.Method);
            var spec = ServiceSpec.Create(vs.Scheduler, vs.SchedulerFlags, vs.PersistenceTimeout,
                vs.PersistenceGranularity is { } mask ? PrefixLength(mask) : null, vs.PersistenceEngine);
            var realServers = vs.RealServers.Select(rs => new RealServerModel(
                RealServerKey(rs, vs),
                new DestinationSpec(Method(rs.Method), rs.Weight, rs.UpperThreshold, rs.LowerThreshold, Tunnel(rs.Tunnel ?? vs.Tunnel)),
                rs.InhibitOnFailure || vs.InhibitOnFailure)).ToList();
            var sorry = vs.SorryServer is { } ss
                ? new SorryServerModel(new DestinationKey(Normalise(ss.Address), ss.Port), vs.SorryServerMethod is { } sm ? Method(sm) : method)
                : null;
            list.Add(new VirtualServerModel(name, services, spec, realServers, sorry, vs.SorryServerInhibit));
        }
        return list;
    }

    /// <summary>The name a real server has in health events and logs: keepalived's [ip]:port.</summary>
    public static string RealServerName(DestinationKey key) => string.Create(CultureInfo.InvariantCulture, $"[{key.Address}]:{key.Port}");

    private static DestinationKey RealServerKey(RealServerConfig rs, VirtualServerConfig vs) =>
        new(Normalise(rs.Address), rs.Port != 0 || vs.Fwmark is not null ? rs.Port : vs.Port);

    private static IPAddress Normalise(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private static TunnelSpec? Tunnel(TunnelConfig? t) => t is null ? null : new TunnelSpec(t.Type, t.Port, t.Checksum);

    private static int PrefixLength(IPAddress mask) =>
        mask.GetAddressBytes().Sum(b => System.Numerics.BitOperations.PopCount(b));

    public static ServiceProtocol Protocol(LvsProtocol p) => p switch
    {
        LvsProtocol.Tcp => ServiceProtocol.Tcp,
        LvsProtocol.Udp => ServiceProtocol.Udp,
        _ => ServiceProtocol.Sctp,
    };

    public static ForwardingMethod Method(LvsMethod m) => m switch
    {
        LvsMethod.Nat => ForwardingMethod.Nat,
        LvsMethod.Dr => ForwardingMethod.DirectRoute,
        _ => ForwardingMethod.Tunnel,
    };
}
