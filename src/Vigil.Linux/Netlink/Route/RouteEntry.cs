using System.Net;

namespace Vigil.Linux.Netlink.Route;

/// <summary>rtm_type (linux/rtnetlink.h).</summary>
public enum RouteType : byte
{
    Unspecified = 0,
    Unicast = 1,
    Local = 2,
    Broadcast = 3,
    Anycast = 4,
    Multicast = 5,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
    Throw = 9,
    Nat = 10,
}

/// <summary>rtm_scope: how far the destination is.</summary>
public enum RouteScope : byte
{
    Universe = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}

/// <summary>Well-known routing tables and protocols (rtm_table, rtm_protocol).</summary>
public static class RouteTables
{
    public const uint Default = 253;
    public const uint Main = 254;
    public const uint Local = 255;

    /// <summary>RTPROT_BOOT: what `ip route add` uses when no proto is given.</summary>
    public const byte ProtocolBoot = 3;

    /// <summary>RTPROT_STATIC.</summary>
    public const byte ProtocolStatic = 4;

    /// <summary>RTPROT_KEEPALIVED (18, "proto keepalived" in /etc/iproute2/rt_protos).</summary>
    public const byte ProtocolKeepalived = 18;
}

/// <summary>
/// A route: what `ip route add [TYPE] DEST/LEN [src S] [via G] [dev IF] [table T] [metric M] [scope S]
/// [proto P] [onlink]` says, which is what keepalived's virtual_routes and static_routes entries say.
/// </summary>
/// <param name="Destination">Network address (0.0.0.0 or :: with length 0 for a default route).</param>
/// <param name="PrefixLength">0..32 or 0..128.</param>
public sealed record RouteEntry(IPAddress Destination, int PrefixLength)
{
    public RouteType Type { get; init; } = RouteType.Unicast;

    public IPAddress? Gateway { get; init; }

    /// <summary>Output device ifindex (RTA_OIF); 0 for none.</summary>
    public int OutputInterfaceIndex { get; init; }

    /// <summary>Preferred source address (RTA_PREFSRC, "src").</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>Source prefix (RTA_SRC, "from"), IPv6 source routing only.</summary>
    public IPAddress? Source { get; init; }

    public int SourcePrefixLength { get; init; }

    public uint Table { get; init; } = RouteTables.Main;

    /// <summary>RTA_PRIORITY ("metric"); null for the kernel's default (0 for IPv4, 1024 for IPv6).</summary>
    public uint? Metric { get; init; }

    public RouteScope Scope { get; init; } = RouteScope.Universe;

    public byte Protocol { get; init; } = RouteTables.ProtocolBoot;

    public byte Tos { get; init; }

    /// <summary>RTNH_F_ONLINK: the gateway is on the link even if no prefix says so.</summary>
    public bool OnLink { get; init; }
}
