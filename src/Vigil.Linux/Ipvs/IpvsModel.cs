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
    byte Ttl = 0);

/// <summary>The connection timeouts of IPVS_CMD_GET_CONFIG / SET_CONFIG in seconds (ipvsadm --set); 0 leaves one unchanged.</summary>
public sealed record IpvsTimeouts(uint Tcp, uint TcpFin, uint Udp);
