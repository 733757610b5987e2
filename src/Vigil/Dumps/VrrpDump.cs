namespace Vigil.Dumps;

/// <summary>
/// One VRRP instance as keepalived's dumps describe it (the JSON written on SIGRTMIN+2 and the stats file
/// written on USR2). Field names follow keepalived 2.2.7's JSON output so that existing exporters work.
/// </summary>
internal sealed record VrrpDumpEntry(VrrpDumpData Data, VrrpDumpStats Stats);

internal sealed record VrrpDumpData
{
    public required string Iname { get; init; }
    public required int Vrid { get; init; }
    public required string Interface { get; init; }
    public string VmacInterface { get; init; } = "";
    /// <summary>keepalived's numeric state: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 97 DELETED, 98 STOP.</summary>
    public required int State { get; init; }
    public required int WantState { get; init; }
    public required int Version { get; init; }
    public required int BasePriority { get; init; }
    public required int EffectivePriority { get; init; }
    public int MasterPriority { get; init; }
    public double AdvertIntervalSeconds { get; init; } = 1;
    public double MasterAdvertIntervalSeconds { get; init; } = 1;
    public double LastTransitionUnixSeconds { get; init; }
    public bool DontTrackPrimary { get; init; }
    public bool SkipCheckAdvAddr { get; init; }
    public bool StrictMode { get; init; }
    public double GarpDelaySeconds { get; init; } = 5;
    public double GarpRefreshSeconds { get; init; }
    public int GarpRepeat { get; init; } = 5;
    public int GarpRefreshRepeat { get; init; } = 1;
    public double GarpLowerPrioDelaySeconds { get; init; } = 5;
    public int GarpLowerPrioRepeat { get; init; } = 5;
    public bool LowerPrioNoAdvert { get; init; }
    public bool HigherPrioSendAdvert { get; init; }
    public bool VipSet { get; init; }
    public bool PromoteSecondaries { get; init; }
    public bool Accept { get; init; } = true;
    public bool Nopreempt { get; init; }
    public double PreemptDelaySeconds { get; init; }
    public bool SmtpAlert { get; init; }
    public bool NotifyDeleted { get; init; }
    /// <summary>As keepalived prints them: "10.0.0.1/24 dev eth0 scope global set".</summary>
    public IReadOnlyList<string> Vips { get; init; } = [];
    public IReadOnlyList<string> ExcludedVips { get; init; } = [];
    public IReadOnlyList<string> TrackScripts { get; init; } = [];
    /// <summary>0 none, 1 PASS, 2 AH.</summary>
    public int AuthType { get; init; }
}

internal sealed record VrrpDumpStats
{
    public long AdvertReceived { get; init; }
    public long AdvertSent { get; init; }
    public long BecomeMaster { get; init; }
    public long ReleaseMaster { get; init; }
    public long PacketLengthErrors { get; init; }
    public long AdvertIntervalErrors { get; init; }
    public long IpTtlErrors { get; init; }
    public long InvalidTypeReceived { get; init; }
    public long AddressListErrors { get; init; }
    public long InvalidAuthType { get; init; }
    public long AuthTypeMismatch { get; init; }
    public long AuthFailure { get; init; }
    public long PriorityZeroReceived { get; init; }
    public long PriorityZeroSent { get; init; }
}
