using System.Net;

namespace Vigil.Config;

public enum VrrpState
{
    Backup,
    Master,
}

public enum VrrpAuthType
{
    Pass,
    Ah,
}

/// <summary>authentication { auth_type PASS|AH; auth_pass P } — only 8 characters are used.</summary>
public sealed record AuthenticationConfig(VrrpAuthType Type, string Password);

/// <summary>unicast_peer { IP [min_ttl N] [max_ttl N] }.</summary>
public sealed record UnicastPeerConfig(IPAddress Address, int? MinTtl, int? MaxTtl);

/// <summary>An entry of track_interface / track_script / track_file / track_process / track_bfd:
/// NAME [weight N [reverse|noreverse]]; a null weight means the tracked object's own.</summary>
public sealed record TrackReferenceConfig(string Name, int? Weight, bool Reverse);

/// <summary>use_vmac [NAME] [MAC]: a macvlan with MAC 00:00:5e:00:01:VRID.</summary>
public sealed record VmacConfig(string? Name, string? MacAddress);

/// <summary>vrrp_instance NAME { ... } with keepalived's defaults resolved (global_defs included).</summary>
public sealed record VrrpInstanceConfig
{
    public required string Name { get; init; }

    public VrrpState State { get; init; } = VrrpState.Backup;

    public string? Interface { get; init; }

    public int VirtualRouterId { get; init; }

    /// <summary>255 when the state is MASTER and nothing is written, else 100.</summary>
    public int Priority { get; init; } = 100;

    public TimeSpan AdvertInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int Version { get; init; } = 2;

    public EquatableArray<VirtualAddressConfig> VirtualIpAddresses { get; init; } = EquatableArray<VirtualAddressConfig>.Empty;

    public EquatableArray<VirtualAddressConfig> VirtualIpAddressesExcluded { get; init; } = EquatableArray<VirtualAddressConfig>.Empty;

    public bool NoVirtualIpAddress { get; init; }

    public bool PromoteSecondaries { get; init; }

    public EquatableArray<RouteConfig> VirtualRoutes { get; init; } = EquatableArray<RouteConfig>.Empty;

    public EquatableArray<RuleConfig> VirtualRules { get; init; } = EquatableArray<RuleConfig>.Empty;

    public IPAddress? McastSrcIp { get; init; }

    public IPAddress? UnicastSrcIp { get; init; }

    public EquatableArray<UnicastPeerConfig> UnicastPeers { get; init; } = EquatableArray<UnicastPeerConfig>.Empty;

    public int? UnicastTtl { get; init; }

    public bool UnicastFaultNoPeer { get; init; }

    public bool CheckUnicastSrc { get; init; }

    public IPAddress? McastDstIp { get; init; }

    public string? Vrf { get; init; }

    public bool TrackSrcIp { get; init; }

    public bool NativeIpv6 { get; init; }

    public bool OldUnicastChecksum { get; init; }

    public bool V3ChecksumAsV2 { get; init; }

    public int? KernelRxBufSize { get; init; }

    public VmacConfig? UseVmac { get; init; }

    public bool UseVmacAddr { get; init; }

    public bool VmacXmitBase { get; init; }

    /// <summary>vmac_garp_intvl SECS [all]: periodic GARPs on the VMAC interface.</summary>
    public TimeSpan? VmacGarpInterval { get; init; }

    public bool VmacGarpAll { get; init; }

    public EquatableArray<string> UseIpvlan { get; init; } = EquatableArray<string>.Empty;

    public bool DontTrackPrimary { get; init; }

    public bool LinkbeatUsePolling { get; init; }

    public EquatableArray<TrackReferenceConfig> TrackInterfaces { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public EquatableArray<TrackReferenceConfig> TrackScripts { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public EquatableArray<TrackReferenceConfig> TrackFiles { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public EquatableArray<TrackReferenceConfig> TrackProcesses { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public EquatableArray<TrackReferenceConfig> TrackBfds { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public bool Nopreempt { get; init; }

    public TimeSpan PreemptDelay { get; init; }

    /// <summary>accept / no_accept; keepalived accepts unless strict mode says otherwise.</summary>
    public bool Accept { get; init; } = true;

    public bool StrictMode { get; init; }

    public bool SkipCheckAdvAddr { get; init; }

    public int DownTimerAdverts { get; init; } = 3;

    public bool LowerPrioNoAdvert { get; init; }

    public bool HigherPrioSendAdvert { get; init; }

    public bool OwnerIgnoreAdverts { get; init; }

    public TimeSpan GarpMasterDelay { get; init; } = TimeSpan.FromSeconds(5);

    public int GarpMasterRepeat { get; init; } = 5;

    public TimeSpan GarpMasterRefresh { get; init; }

    public int GarpMasterRefreshRepeat { get; init; } = 1;

    public TimeSpan GarpLowerPrioDelay { get; init; } = TimeSpan.FromSeconds(5);

    public int GarpLowerPrioRepeat { get; init; } = 5;

    public bool GarpExtraIf { get; init; }

    public AuthenticationConfig? Authentication { get; init; }

    public string? NotifyMaster { get; init; }

    public string? NotifyBackup { get; init; }

    public string? NotifyFault { get; init; }

    public string? NotifyStop { get; init; }

    public string? NotifyDeleted { get; init; }

    public string? Notify { get; init; }

    public string? NotifyMasterRxLowerPri { get; init; }

    public bool? SmtpAlert { get; init; }

    public bool NotifyPriorityChanges { get; init; }

    public int? Debug { get; init; }

    /// <summary>Deprecated: use global lvs_sync_daemon.</summary>
    public string? LvsSyncDaemonInterface { get; init; }

    public bool IsIPv6 => VirtualIpAddresses.Count > 0 && VirtualIpAddresses[0].IsIPv6;
}
