namespace Vigil.Config;

/// <summary>Asks the host whether a network interface exists (the daemon answers through netlink).</summary>
public interface IHostInterfaces
{
    bool Exists(string name);
}

/// <summary>A fixed set of interface names, for tests and for checking a config meant for another host.</summary>
public sealed class FixedHostInterfaces(params IEnumerable<string> names) : IHostInterfaces
{
    private readonly HashSet<string> _names = new(names, StringComparer.Ordinal);

    public bool Exists(string name) => _names.Contains(name);
}

/// <summary>How to load a configuration: where files come from, the config id, and the safety limits.</summary>
public sealed record ConfigLoadOptions
{
    public IConfigFileSystem FileSystem { get; init; } = DiskFileSystem.Instance;

    /// <summary>The id '@ID' lines are matched against (-i); null keeps no '@ID' line (only '@^ID' ones).
    /// The default, the short host name, is the caller's job.</summary>
    public string? ConfigId { get; init; }

    /// <summary>Interfaces of this host; null skips the "interface doesn't exist" checks.</summary>
    public IHostInterfaces? Interfaces { get; init; }

    /// <summary>The value of ${_INSTANCE}.</summary>
    public string? InstanceName { get; init; }

    /// <summary>Looks up ${_ENV NAME}; null leaves such references as they are (the loader stays pure).</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Whether vrrp_script scripts given by absolute path are checked to exist, as keepalived does.</summary>
    public bool CheckScriptFiles { get; init; } = true;

    public int MaxIncludeDepth { get; init; } = 32;

    public long MaxFileBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Longest line a parameter or loop expansion may produce.</summary>
    public int MaxExpandedLineLength { get; init; } = 256 * 1024;

    /// <summary>Most parameter substitutions in one line (a recursive $A=$A stops here).</summary>
    public int MaxSubstitutionsPerLine { get; init; } = 1_000;

    /// <summary>Most tokens in the whole configuration, after includes and loops.</summary>
    public int MaxTokens { get; init; } = 2_000_000;

    /// <summary>Most lines ~SEQ/~LST may produce in the whole configuration (nested loops multiply).</summary>
    public int MaxLoopLines { get; init; } = 100_000;

    public int MaxBlockDepth { get; init; } = 64;
}
