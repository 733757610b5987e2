using System.Net;
using System.Net.Sockets;

namespace Vigil.Linux.Ipvs;

/// <summary>IPPROTO numbers IPVS keys services by.</summary>
public enum IpvsProtocol : ushort
{
    Tcp = 6,
    Udp = 17,
    Sctp = 132,
}

/// <summary>IP_VS_CONN_F_FWD_MASK values of IPVS_DEST_ATTR_FWD_METHOD.</summary>
public enum IpvsForwarding : uint
{
    Masquerade = 0,
    LocalNode = 1,
    Tunnel = 2,
    DirectRoute = 3,
    Bypass = 4,
}

/// <summary>IP_VS_CONN_F_TUNNEL_TYPE_*.</summary>
public enum IpvsTunnelType : byte
{
    IpIp = 0,
    Gue = 1,
    Gre = 2,
}

/// <summary>IP_VS_SVC_F_* service flags (include/uapi/linux/ip_vs.h).</summary>
[Flags]
public enum IpvsServiceFlags : uint
{
    None = 0,
    Persistent = 0x1,
    Hashed = 0x2,
    OnePacket = 0x4,
    Sched1 = 0x8,
    Sched2 = 0x10,
    Sched3 = 0x20,
}

/// <summary>
/// One IPVS virtual service. Identity is <see cref="Fwmark"/> with <see cref="Family"/>, or
/// <see cref="Protocol"/>, <see cref="Address"/> and <see cref="Port"/>.
/// </summary>
/// <param name="Timeout">Persistence timeout in seconds (with <see cref="IpvsServiceFlags.Persistent"/>).</param>
/// <param name="Netmask">Persistence granularity: an IPv4 mask in network byte order read as a u32, or an IPv6 prefix length.</param>
public sealed record IpvsService(
    AddressFamily Family,
    IpvsProtocol Protocol,
    IPAddress? Address,
    ushort Port,
    uint Fwmark,
    string Scheduler,
    IpvsServiceFlags Flags = IpvsServiceFlags.None,
    uint Timeout = 0,
    uint Netmask = 0,
    string? PersistenceEngine = null)
{
    /// <summary>The netmask ipvsadm uses when none is given: /32 or /128.</summary>
    public static uint DefaultNetmask(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? 128u : 0xFFFFFFFFu;

    /// <summary>Whether two services are the same kernel service (their keys match).</summary>
    public bool SameKey(IpvsService other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Family == other.Family && Fwmark == other.Fwmark
            && (Fwmark != 0 || (Protocol == other.Protocol && Port == other.Port && Equals(Address, other.Address)));
    }
}

/// <summary>GUE/GRE/IPIP tunnel settings of a TUN destination.</summary>
public sealed record IpvsTunnel(IpvsTunnelType Type, ushort Port = 0, ushort Flags = 0);

/// <summary>One real server of a service.</summary>
public sealed record IpvsDestination(
    IPAddress Address,
    ushort Port,
    IpvsForwarding Forwarding,
    int Weight,
    uint UpperThreshold = 0,
    uint LowerThreshold = 0,
    IpvsTunnel? Tunnel = null);

/// <summary>IP_VS_STATE_MASTER / IP_VS_STATE_BACKUP: which half of the connection sync daemon.</summary>
public enum IpvsSyncState : uint
{
    Master = 1,
    Backup = 2,
}

/// <summary>
/// One IPVS connection synchronisation daemon (IPVS_CMD_NEW_DAEMON). Null or 0 fields are left to the
/// kernel's defaults (maxlen from the interface MTU, port 8848, TTL 1, group 224.0.0.81 / ff02::8:81).
/// </summary>
public sealed record IpvsSyncDaemon(
    IpvsSyncState State,
    string Interface,
    uint SyncId,
    ushort MaxLength = 0,
    IPAddress? Group = null,
    ushort Port = 0,
    byte Ttl = 0)
{
    /// <summary>
    /// keepalived compat: the daemons to run. Following a VRRP instance, the master daemon while it is MASTER
    /// and the backup daemon in every other state (INIT, BACKUP, FAULT); following none, both.
    /// </summary>
    public static IReadOnlySet<IpvsSyncState> Wanted(bool followsInstance, bool instanceIsMaster) =>
        !followsInstance ? new HashSet<IpvsSyncState> { IpvsSyncState.Backup, IpvsSyncState.Master }
        : new HashSet<IpvsSyncState> { instanceIsMaster ? IpvsSyncState.Master : IpvsSyncState.Backup };
}

/// <summary>The connection timeouts of IPVS_CMD_GET_CONFIG / SET_CONFIG in seconds (ipvsadm --set); 0 leaves one unchanged.</summary>
public sealed record IpvsTimeouts(uint Tcp, uint TcpFin, uint Udp)
{
    /// <summary>keepalived's LVS_MAX_TIMEOUT: 31 days.</summary>
    public const uint MaxSeconds = 86400 * 31;

    /// <summary>
    /// The arguments of global_defs <c>lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS]</c>: at least one, each
    /// 1 s to 31 days; what is not given stays 0 (unchanged). Null, with the reasons in <paramref name="problems"/>, when none is usable.
    /// </summary>
    public static IpvsTimeouts? Parse(IReadOnlyList<string> args, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(problems);
        uint tcp = 0, fin = 0, udp = 0;
        var any = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is not ("tcp" or "tcpfin" or "udp"))
            {
                problems.Add($"lvs_timeouts: unknown option '{name}' (expected tcp, tcpfin or udp)");
                continue;
            }
            i++;
            if (i >= args.Count || !uint.TryParse(args[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                || value is 0 or > MaxSeconds)
            {
                problems.Add($"lvs_timeouts: {name} needs a number of seconds from 1 to {MaxSeconds}");
                continue;
            }
            any = true;
            switch (name)
            {
                case "tcp": tcp = value; break;
                case "tcpfin": fin = value; break;
                default: udp = value; break;
            }
        }
        if (!any)
        {
            problems.Add("lvs_timeouts: at least one of tcp, tcpfin and udp is needed");
            return null;
        }
        return new IpvsTimeouts(tcp, fin, udp);
    }
}
