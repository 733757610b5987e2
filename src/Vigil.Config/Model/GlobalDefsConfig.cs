using System.Net;

namespace Vigil.Config;

/// <summary>global_defs (keepalived.conf(5)); keepalived's defaults are the initial values.</summary>
public sealed record GlobalDefsConfig
{
    /// <summary>Null means the host name, which the caller supplies.</summary>
    public string? RouterId { get; init; }

    public EquatableArray<string> NotificationEmail { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Null means keepalived@HOSTNAME.</summary>
    public string? NotificationEmailFrom { get; init; }

    /// <summary>An address or a host name.</summary>
    public string? SmtpServer { get; init; }

    public int SmtpPort { get; init; } = 25;

    public string? SmtpHeloName { get; init; }

    public TimeSpan SmtpConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool? SmtpAlert { get; init; }

    public bool? SmtpAlertVrrp { get; init; }

    public bool? SmtpAlertChecker { get; init; }

    public bool NoEmailFaults { get; init; }

    public bool CheckerLogAllFailures { get; init; }

    public string DefaultInterface { get; init; } = "eth0";

    public IPAddress VrrpMcastGroup4 { get; init; } = IPAddress.Parse("224.0.0.18");

    public IPAddress VrrpMcastGroup6 { get; init; } = IPAddress.Parse("ff02::12");

    public int VrrpVersion { get; init; } = 2;

    public TimeSpan VrrpGarpMasterDelay { get; init; } = TimeSpan.FromSeconds(5);

    public int VrrpGarpMasterRepeat { get; init; } = 5;

    /// <summary>Null means the same as <see cref="VrrpGarpMasterDelay"/>.</summary>
    public TimeSpan? VrrpGarpLowerPrioDelay { get; init; }

    /// <summary>Null means the same as <see cref="VrrpGarpMasterRepeat"/>.</summary>
    public int? VrrpGarpLowerPrioRepeat { get; init; }

    public TimeSpan VrrpGarpMasterRefresh { get; init; }

    public int VrrpGarpMasterRefreshRepeat { get; init; } = 1;

    public TimeSpan VrrpGarpInterval { get; init; }

    public TimeSpan VrrpGnaInterval { get; init; }

    public bool VrrpMinGarp { get; init; }

    public bool VrrpGarpExtraIf { get; init; }

    public int VrrpDownTimerAdverts { get; init; } = 3;

    public bool VrrpLowerPrioNoAdvert { get; init; }

    public bool VrrpHigherPrioSendAdvert { get; init; }

    public bool VrrpOwnerIgnoreAdverts { get; init; }

    public bool VrrpCheckUnicastSrc { get; init; }

    public bool VrrpSkipCheckAdvAddr { get; init; }

    public bool VrrpStrict { get; init; }

    public bool V3ChecksumAsV2 { get; init; }

    public bool VrrpNotifyPriorityChanges { get; init; }

    public TimeSpan VrrpStartupDelay { get; init; }

    public bool DynamicInterfaces { get; init; }

    public bool EnableScriptSecurity { get; init; }

    /// <summary>Null means keepalived_script if that user exists, else root.</summary>
    public string? ScriptUser { get; init; }

    public string? ScriptGroup { get; init; }

    /// <summary>nftables TABLE; null when nftables is not asked for (a bare keyword gives "keepalived").</summary>
    public string? Nftables { get; init; }

    public bool NftablesIpvs { get; init; }

    public LvsSyncDaemonConfig? LvsSyncDaemon { get; init; }

    public bool LvsFlush { get; init; }

    /// <summary>vigil_dataplane auto|ipvs|nftables (vigil's own keyword; the --dataplane flag wins over it).</summary>
    public string? VigilDataplane { get; init; }

    public NotifyFifoConfig? NotifyFifo { get; init; }

    public NotifyFifoConfig? VrrpNotifyFifo { get; init; }

    public NotifyFifoConfig? LvsNotifyFifo { get; init; }

    public TimeSpan StartupScriptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ShutdownScriptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string? StartupScript { get; init; }

    public string? ShutdownScript { get; init; }

    /// <summary>Every other known global_defs keyword, as written.</summary>
    public EquatableArray<ConfigSetting> Other { get; init; } = EquatableArray<ConfigSetting>.Empty;
}

/// <summary>lvs_sync_daemon IF [inst VI] [id N] [maxlen N] [port N] [ttl N] [group IP].</summary>
public sealed record LvsSyncDaemonConfig(string Interface, string? Instance, int? SyncId, int? MaxLength, int Port, int? Ttl, IPAddress? Group);

/// <summary>[vrrp_|lvs_]notify_fifo FIFO [user [group]] and its *_fifo_script.</summary>
public sealed record NotifyFifoConfig(string Path, string? User, string? Group, string? Script);
