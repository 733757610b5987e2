using System.Net;
using System.Net.Sockets;

namespace Vigil.Linux.Netlink.Route;

/// <summary>FR_ACT_* (linux/fib_rules.h).</summary>
public enum RuleAction : byte
{
    Unspecified = 0,
    ToTable = 1,
    Goto = 2,
    Nop = 3,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
}

/// <summary>
/// A policy routing rule: what `ip rule add [not] [from S/L] [to D/L] [fwmark M/K] [iif I] [oif O]
/// [tos T] [priority P] table T | blackhole | unreachable | prohibit` says (keepalived's virtual_rules).
/// </summary>
/// <param name="Family">InterNetwork or InterNetworkV6.</param>
public sealed record RoutingRule(AddressFamily Family)
{
    public RuleAction Action { get; init; } = RuleAction.ToTable;

    public uint Table { get; init; } = RouteTables.Main;

    /// <summary>FRA_PRIORITY ("priority", "pref"); null lets the kernel pick one below the last rule.</summary>
    public uint? Priority { get; init; }

    public IPAddress? Source { get; init; }

    public int SourcePrefixLength { get; init; }

    public IPAddress? Destination { get; init; }

    public int DestinationPrefixLength { get; init; }

    public uint? FirewallMark { get; init; }

    public uint? FirewallMask { get; init; }

    public string? InputInterface { get; init; }

    public string? OutputInterface { get; init; }

    public byte Tos { get; init; }

    /// <summary>FIB_RULE_INVERT ("not").</summary>
    public bool Invert { get; init; }

    /// <summary>FRA_PROTOCOL; null leaves it unset (the kernel reports 0, "unspec").</summary>
    public byte? Protocol { get; init; }
}
