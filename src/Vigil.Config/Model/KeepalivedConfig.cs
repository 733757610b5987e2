namespace Vigil.Config;

/// <summary>The whole keepalived.conf after includes, parameters, defaults and validation.</summary>
public sealed record KeepalivedConfig
{
    public RootConfig Root { get; init; } = new();

    public GlobalDefsConfig GlobalDefs { get; init; } = new();

    public EquatableArray<VirtualAddressConfig> StaticAddresses { get; init; } = EquatableArray<VirtualAddressConfig>.Empty;

    public EquatableArray<RouteConfig> StaticRoutes { get; init; } = EquatableArray<RouteConfig>.Empty;

    public EquatableArray<RuleConfig> StaticRules { get; init; } = EquatableArray<RuleConfig>.Empty;

    public EquatableArray<TrackGroupConfig> TrackGroups { get; init; } = EquatableArray<TrackGroupConfig>.Empty;

    public EquatableArray<LinkbeatInterfaceConfig> LinkbeatInterfaces { get; init; } = EquatableArray<LinkbeatInterfaceConfig>.Empty;

    public EquatableArray<InterfaceDelayConfig> InterfaceUpDownDelays { get; init; } = EquatableArray<InterfaceDelayConfig>.Empty;

    public EquatableArray<VrrpScriptConfig> VrrpScripts { get; init; } = EquatableArray<VrrpScriptConfig>.Empty;

    public EquatableArray<TrackFileConfig> TrackFiles { get; init; } = EquatableArray<TrackFileConfig>.Empty;

    public EquatableArray<TrackProcessConfig> TrackProcesses { get; init; } = EquatableArray<TrackProcessConfig>.Empty;

    public EquatableArray<BfdInstanceConfig> BfdInstances { get; init; } = EquatableArray<BfdInstanceConfig>.Empty;

    public EquatableArray<GarpGroupConfig> GarpGroups { get; init; } = EquatableArray<GarpGroupConfig>.Empty;

    public EquatableArray<VrrpSyncGroupConfig> SyncGroups { get; init; } = EquatableArray<VrrpSyncGroupConfig>.Empty;

    public EquatableArray<VrrpInstanceConfig> VrrpInstances { get; init; } = EquatableArray<VrrpInstanceConfig>.Empty;

    public EquatableArray<SslConfig> Ssl { get; init; } = EquatableArray<SslConfig>.Empty;

    public EquatableArray<VirtualServerGroupConfig> VirtualServerGroups { get; init; } = EquatableArray<VirtualServerGroupConfig>.Empty;

    public EquatableArray<VirtualServerConfig> VirtualServers { get; init; } = EquatableArray<VirtualServerConfig>.Empty;
}

/// <summary>A keyword kept as written, for the many knobs that only pass a value through
/// (buffer sizes, process names, SNMP and DBus settings): known, validated for arity, dumped back.</summary>
public sealed record ConfigSetting(string Keyword, EquatableArray<string> Args)
{
    public override string ToString() => Args.IsEmpty ? Keyword : $"{Keyword} {string.Join(' ', Args)}";
}

/// <summary>Root-level keywords outside any block.</summary>
public sealed record RootConfig
{
    public string? NetNamespace { get; init; }

    public bool NetNamespaceIpvs { get; init; }

    public bool NamespaceWithIpsets { get; init; }

    public string? Instance { get; init; }

    public bool UsePidDir { get; init; }

    public bool LinkbeatUsePolling { get; init; }

    public TimeSpan ChildWaitTime { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>track_group NAME { group { VI ... } }.</summary>
public sealed record TrackGroupConfig(string Name, EquatableArray<string> Instances);

/// <summary>linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] }.</summary>
public sealed record LinkbeatInterfaceConfig(string Interface, string? Method);

/// <summary>interface_up_down_delays { IF down [up] }.</summary>
public sealed record InterfaceDelayConfig(string Interface, TimeSpan Down, TimeSpan Up);

/// <summary>SSL { password; ca; certificate; key } for SSL_GET.</summary>
public sealed record SslConfig
{
    public string? Password { get; init; }

    public string? Ca { get; init; }

    public string? Certificate { get; init; }

    public string? Key { get; init; }
}
