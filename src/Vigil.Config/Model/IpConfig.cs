using System.Net;

namespace Vigil.Config;

/// <summary>One line of virtual_ipaddress{}, virtual_ipaddress_excluded{} or static_ipaddress{}:
/// IP[/len] [brd IP] [dev IF] [scope S] [label L] [peer IP] [home] [-nodad] [mngtmpaddr] [noprefixroute]
/// [autojoin] [use_vmac] [no_track] [preferred_lft N] [track_group G].</summary>
public sealed record VirtualAddressConfig
{
    public required IPAddress Address { get; init; }

    /// <summary>/32 (IPv4) or /128 (IPv6) when not given, as keepalived.</summary>
    public int PrefixLength { get; init; }

    public IPAddress? Broadcast { get; init; }

    public string? Device { get; init; }

    public string? Scope { get; init; }

    public string? Label { get; init; }

    public IPNetwork? Peer { get; init; }

    public bool Home { get; init; }

    public bool NoDad { get; init; }

    public bool ManageTempAddress { get; init; }

    public bool NoPrefixRoute { get; init; }

    public bool AutoJoin { get; init; }

    public bool UseVmac { get; init; }

    public bool NoTrack { get; init; }

    public int? PreferredLifetime { get; init; }

    public string? TrackGroup { get; init; }

    public bool IsIPv6 => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
}

/// <summary>A next hop of a multipath route: via IP [dev IF] [weight N] [onlink].</summary>
public sealed record NextHopConfig(IPAddress? Via, string? Device, int? Weight, bool OnLink);

/// <summary>One line of virtual_routes{} or static_routes{}, in ip-route syntax.</summary>
public sealed record RouteConfig
{
    /// <summary>unicast, blackhole, unreachable, prohibit, throw, local, broadcast, ...</summary>
    public string Type { get; init; } = "unicast";

    public required IPNetwork Destination { get; init; }

    public IPAddress? Source { get; init; }

    public IPAddress? Via { get; init; }

    public string? Device { get; init; }

    public string? Table { get; init; }

    public string? Scope { get; init; }

    public int? Metric { get; init; }

    public string? Protocol { get; init; }

    public bool OnLink { get; init; }

    public bool NoTrack { get; init; }

    public string? TrackGroup { get; init; }

    public EquatableArray<NextHopConfig> NextHops { get; init; } = EquatableArray<NextHopConfig>.Empty;

    /// <summary>Further ip-route options (mtu, advmss, realm, ...), as written, in order.</summary>
    public EquatableArray<string> Options { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>One line of virtual_rules{} or static_rules{}, in ip-rule syntax.</summary>
public sealed record RuleConfig
{
    public IPNetwork? From { get; init; }

    public IPNetwork? To { get; init; }

    /// <summary>keepalived compat: a rule without one gets 16384, the next 16383, ... with a warning.</summary>
    public int Preference { get; init; }

    public string? Table { get; init; }

    public string? Action { get; init; }

    public string? InterfaceIn { get; init; }

    public string? InterfaceOut { get; init; }

    public bool Invert { get; init; }

    public bool NoTrack { get; init; }

    public string? TrackGroup { get; init; }

    /// <summary>inet or inet6, from the addresses or the family keyword.</summary>
    public bool IsIPv6 { get; init; }

    public EquatableArray<string> Options { get; init; } = EquatableArray<string>.Empty;
}
