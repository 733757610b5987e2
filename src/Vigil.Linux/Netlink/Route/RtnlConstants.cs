using System.Runtime.InteropServices;

namespace Vigil.Linux.Netlink.Route;

/// <summary>rtnetlink message types (linux/rtnetlink.h).</summary>
internal static class RtmType
{
    public const ushort NewLink = 16;
    public const ushort DelLink = 17;
    public const ushort GetLink = 18;
    public const ushort NewAddr = 20;
    public const ushort DelAddr = 21;
    public const ushort GetAddr = 22;
    public const ushort NewRoute = 24;
    public const ushort DelRoute = 25;
    public const ushort GetRoute = 26;
    public const ushort NewRule = 32;
    public const ushort DelRule = 33;
    public const ushort GetRule = 34;

    public static string Name(ushort type) => type switch
    {
        NewLink => "RTM_NEWLINK",
        DelLink => "RTM_DELLINK",
        GetLink => "RTM_GETLINK",
        NewAddr => "RTM_NEWADDR",
        DelAddr => "RTM_DELADDR",
        GetAddr => "RTM_GETADDR",
        NewRoute => "RTM_NEWROUTE",
        DelRoute => "RTM_DELROUTE",
        GetRoute => "RTM_GETROUTE",
        NewRule => "RTM_NEWRULE",
        DelRule => "RTM_DELRULE",
        GetRule => "RTM_GETRULE",
        _ => $"RTM_{type}",
    };
}

/// <summary>Multicast groups of NETLINK_ROUTE (enum rtnetlink_groups; the legacy bit is 1 &lt;&lt; (group - 1)).</summary>
public enum RtnlGroup : uint
{
    Link = 1,
    Neighbour = 3,
    IPv4Address = 5,
    IPv4Route = 7,
    IPv4Rule = 8,
    IPv6Address = 9,
    IPv6Route = 11,
    IPv6Rule = 19,
}

/// <summary>IFLA_* link attributes used here (linux/if_link.h).</summary>
internal static class IflaAttribute
{
    public const ushort Address = 1;
    public const ushort Broadcast = 2;
    public const ushort IfName = 3;
    public const ushort Mtu = 4;
    public const ushort Link = 5;
    public const ushort Master = 10;
    public const ushort OperState = 16;
    public const ushort LinkInfo = 18;
    public const ushort ExtMask = 29;
    public const ushort InfoKind = 1;

    /// <summary>RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS: leave per-VF data and statistics out of dumps.</summary>
    public const uint CompactExtMask = 0x1 | 0x8;
}

/// <summary>IFA_* address attributes (linux/if_addr.h).</summary>
internal static class IfaAttribute
{
    public const ushort Address = 1;
    public const ushort Local = 2;
    public const ushort Label = 3;
    public const ushort Broadcast = 4;
    public const ushort CacheInfo = 6;
    public const ushort Flags = 8;
}

/// <summary>struct ifinfomsg (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfInfoMsg
{
    public const int Size = 16;

    public byte Family;
    public byte Pad;
    public ushort Type;
    public int Index;
    public uint Flags;
    public uint Change;
}

/// <summary>struct ifaddrmsg (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMsg
{
    public const int Size = 8;

    public byte Family;
    public byte PrefixLength;
    public byte Flags;
    public byte Scope;
    public int Index;
}

/// <summary>struct ifa_cacheinfo (16 bytes): lifetimes in seconds, 0xFFFFFFFF meaning forever.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfaCacheInfo
{
    public const uint Forever = uint.MaxValue;

    public uint Preferred;
    public uint Valid;
    public uint Created;
    public uint Updated;
}
