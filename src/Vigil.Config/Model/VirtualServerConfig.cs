using System.Net;

namespace Vigil.Config;

public enum LvsProtocol
{
    Tcp,
    Udp,
    Sctp,
}

public enum LvsMethod
{
    Nat,
    Dr,
    Tun,
}

/// <summary>An entry of virtual_server_group: IP [port], a range a.b.c.d-e [port], or fwmark N.</summary>
public sealed record VirtualServerGroupEntryConfig(IPAddress? Address, IPAddress? RangeEnd, int Port, int? Fwmark, string? Family);

/// <summary>virtual_server_group NAME { ... }.</summary>
public sealed record VirtualServerGroupConfig(string Name, EquatableArray<VirtualServerGroupEntryConfig> Entries);

/// <summary>sorry_server IP PORT.</summary>
public sealed record SorryServerConfig(IPAddress Address, int Port);

/// <summary>lvs_method TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum].</summary>
public sealed record TunnelConfig(string Type, int? Port, string? Checksum);

/// <summary>virtual_server IP PORT | fwmark N | group NAME { ... }, with keepalived's defaults.</summary>
public sealed record VirtualServerConfig
{
    public IPAddress? Address { get; init; }

    public int Port { get; init; }

    public int? Fwmark { get; init; }

    public string? Group { get; init; }

    /// <summary>inet or inet6 (ip_family), for fwmark and group services.</summary>
    public string? IpFamily { get; init; }

    /// <summary>keepalived compat: UDP when not written (with a warning).</summary>
    public LvsProtocol Protocol { get; init; } = LvsProtocol.Udp;

    /// <summary>lb_algo / lvs_sched; wlc when not written (with a warning).</summary>
    public string Scheduler { get; init; } = "wlc";

    /// <summary>ops, flag-1..3, sh-port, sh-fallback, mh-port, mh-fallback, hashed.</summary>
    public EquatableArray<string> SchedulerFlags { get; init; } = EquatableArray<string>.Empty;

    public LvsMethod Method { get; init; } = LvsMethod.Nat;

    public TunnelConfig? Tunnel { get; init; }

    public TimeSpan? PersistenceTimeout { get; init; }

    public IPAddress? PersistenceGranularity { get; init; }

    public string? PersistenceEngine { get; init; }

    public bool HaSuspend { get; init; }

    public string? Virtualhost { get; init; }

    public string? SnmpName { get; init; }

    public bool? SmtpAlert { get; init; }

    public bool Alpha { get; init; }

    public bool Omega { get; init; }

    public string? QuorumUp { get; init; }

    public string? QuorumDown { get; init; }

    public int Quorum { get; init; } = 1;

    public int Hysteresis { get; init; }

    public int Weight { get; init; } = 1;

    public SorryServerConfig? SorryServer { get; init; }

    public bool SorryServerInhibit { get; init; }

    public LvsMethod? SorryServerMethod { get; init; }

    public TimeSpan DelayLoop { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public int? Retry { get; init; }

    public TimeSpan? DelayBeforeRetry { get; init; }

    public TimeSpan? Warmup { get; init; }

    public bool InhibitOnFailure { get; init; }

    public EquatableArray<RealServerConfig> RealServers { get; init; } = EquatableArray<RealServerConfig>.Empty;

    public override string ToString() =>
        Fwmark is { } mark ? $"FWM {mark}" : Group is { } group ? $"group {group}" : $"[{Address}]:{Protocol.ToString().ToLowerInvariant()}:{Port}";
}

/// <summary>real_server IP [PORT] { ... }; unset values come from the virtual server.</summary>
public sealed record RealServerConfig
{
    public required IPAddress Address { get; init; }

    public int Port { get; init; }

    public int Weight { get; init; } = 1;

    public LvsMethod Method { get; init; } = LvsMethod.Nat;

    public TunnelConfig? Tunnel { get; init; }

    public string? NotifyUp { get; init; }

    public string? NotifyDown { get; init; }

    public int UpperThreshold { get; init; }

    public int LowerThreshold { get; init; }

    public bool InhibitOnFailure { get; init; }

    public bool Alpha { get; init; }

    public int? Retry { get; init; }

    public TimeSpan? DelayBeforeRetry { get; init; }

    public TimeSpan? Warmup { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan DelayLoop { get; init; } = TimeSpan.FromSeconds(60);

    public bool? SmtpAlert { get; init; }

    public string? Virtualhost { get; init; }

    public string? SnmpName { get; init; }

    public EquatableArray<CheckerConfig> Checkers { get; init; } = EquatableArray<CheckerConfig>.Empty;
}
