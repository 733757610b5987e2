using System.Net;

namespace Vigil.Config;

/// <summary>vrrp_script NAME { script; interval 1s; timeout (= interval); weight 0; rise 1; fall 1; user; init_fail }.</summary>
public sealed record VrrpScriptConfig
{
    public required string Name { get; init; }

    public required string Script { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>-253..253; 0 means the script's failure puts the instance in FAULT.</summary>
    public int Weight { get; init; }

    public bool WeightReverse { get; init; }

    public int Rise { get; init; } = 1;

    public int Fall { get; init; } = 1;

    public string? User { get; init; }

    public string? Group { get; init; }

    public bool InitFail { get; init; }
}

/// <summary>track_file NAME (vrrp_track_file) { file; weight 1 [reverse]; init_file [VAL] [overwrite] }.</summary>
public sealed record TrackFileConfig
{
    public required string Name { get; init; }

    public required string File { get; init; }

    public int Weight { get; init; } = 1;

    public bool WeightReverse { get; init; }

    public bool InitFile { get; init; }

    public int InitValue { get; init; }

    public bool InitOverwrite { get; init; }
}

/// <summary>vrrp_track_process NAME { process NAME [ARGS]; param_match; weight; quorum 1; quorum_max; delays }.</summary>
public sealed record TrackProcessConfig
{
    public required string Name { get; init; }

    public required string Process { get; init; }

    public EquatableArray<string> Parameters { get; init; } = EquatableArray<string>.Empty;

    /// <summary>null (exact), "initial" or "partial".</summary>
    public string? ParamMatch { get; init; }

    public bool FullCommand { get; init; }

    public int Weight { get; init; }

    public bool WeightReverse { get; init; }

    public int Quorum { get; init; } = 1;

    public int? QuorumMax { get; init; }

    public TimeSpan? Delay { get; init; }

    public TimeSpan? TerminateDelay { get; init; }

    public TimeSpan? ForkDelay { get; init; }
}

/// <summary>bfd_instance NAME { neighbor_ip; source_ip; min_rx 10ms; min_tx 10ms; idle_tx 1000ms; multiplier 5; ... }.</summary>
public sealed record BfdInstanceConfig
{
    public required string Name { get; init; }

    public IPAddress? NeighborIp { get; init; }

    public IPAddress? SourceIp { get; init; }

    public TimeSpan MinRx { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan MinTx { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan IdleTx { get; init; } = TimeSpan.FromMilliseconds(1000);

    public int Multiplier { get; init; } = 5;

    public bool Passive { get; init; }

    public int Ttl { get; init; } = 255;

    public int HopLimit { get; init; } = 64;

    public int MaxHops { get; init; }

    public bool Multihop { get; init; }

    public int Weight { get; init; }

    public bool WeightReverse { get; init; }

    public bool Vrrp { get; init; }

    public bool Checker { get; init; }
}

/// <summary>garp_group { garp_interval; gna_interval; interface IF | interfaces { ... } }.</summary>
public sealed record GarpGroupConfig
{
    public TimeSpan GarpInterval { get; init; }

    public TimeSpan GnaInterval { get; init; }

    public EquatableArray<string> Interfaces { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>vrrp_sync_group NAME { group { VI ... }; track_*; notify*; smtp_alert; ... }.</summary>
public sealed record VrrpSyncGroupConfig
{
    public required string Name { get; init; }

    public EquatableArray<string> Group { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<TrackReferenceConfig> TrackInterfaces { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public EquatableArray<TrackReferenceConfig> TrackScripts { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public EquatableArray<TrackReferenceConfig> TrackFiles { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public EquatableArray<TrackReferenceConfig> TrackProcesses { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public EquatableArray<TrackReferenceConfig> TrackBfds { get; init; } = EquatableArray<TrackReferenceConfig>.Empty;

    public string? NotifyMaster { get; init; }

    public string? NotifyBackup { get; init; }

    public string? NotifyFault { get; init; }

    public string? NotifyStop { get; init; }

    public string? Notify { get; init; }

    public bool? SmtpAlert { get; init; }

    public bool GlobalTracking { get; init; }

    public bool SyncGroupTrackingWeight { get; init; }

    public bool NotifyPriorityChanges { get; init; }
}
