namespace Vigil.Testing;

public sealed class LabOptions
{
    /// <summary>Namespace and directory prefix; the sweeper removes leftovers with this prefix from dead runs.</summary>
    public string Prefix { get; init; } = "vlab";

    /// <summary>Where lab directories go (configs, logs, pid files, captures). Default: the temp dir.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Keep the lab directory after dispose (also when VIGIL_LAB_KEEP=1).</summary>
    public bool KeepFiles { get; init; } = Environment.GetEnvironmentVariable("VIGIL_LAB_KEEP") == "1";

    /// <summary>Write hosts' addresses and process output tails to the log at dispose (cheap, helps on failure).</summary>
    public bool DiagnosticsOnDispose { get; init; } = true;

    /// <summary>How long a process gets after SIGTERM at teardown before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(3);
}
