namespace Vigil.Cli;

/// <summary>What the command line asked for, after parsing: keepalived's flags plus vigil's own.</summary>
internal sealed record DaemonOptions
{
    public const string DefaultConfigFile = "/etc/keepalived/keepalived.conf";

    public string ConfigFile { get; init; } = DefaultConfigFile;
    public bool VrrpOnly { get; init; }
    public bool CheckOnly { get; init; }
    public bool LogConsole { get; init; }
    public bool LogDetail { get; init; }
    /// <summary>0..7 meaning local0..local7; null means the daemon facility, as keepalived.</summary>
    public int? LogFacility { get; init; }
    /// <summary>Set when -g was given; an empty string means keepalived's default log file.</summary>
    public string? LogFile { get; init; }
    public bool NoSyslog { get; init; }
    public bool DontFork { get; init; }
    public bool DumpConfig { get; init; }
    public string? PidFile { get; init; }
    public string? VrrpPidFile { get; init; }
    public string? CheckersPidFile { get; init; }
    /// <summary>Set when -t was given; non-empty when -t=FILE named a log file for the result.</summary>
    public string? ConfigTest { get; init; }
    public string? ConfigId { get; init; }
    public string? Namespace { get; init; }
    public bool ReleaseVips { get; init; }
    public bool DontReleaseVrrp { get; init; }
    public bool DontReleaseIpvs { get; init; }
    public bool DontRespawn { get; init; }
    public string? Signal { get; init; }
    public string? ControlSocket { get; init; }
    public string? MetricsEndpoint { get; init; }
    /// <summary>--dataplane auto|ipvs|nftables (vigil only); null means auto.</summary>
    public string? DataPlane { get; init; }
}
