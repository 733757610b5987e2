namespace Vigil.Checks;

/// <summary>The outcome of one probe run.</summary>
/// <param name="Success">Whether the check passed.</param>
/// <param name="Reason">Why it failed (or a note on success), for logs and RealServerDown events.</param>
/// <param name="DynamicWeight">misc_dynamic: the weight the exit code asks for (code - 2).</param>
/// <param name="WeightAdjustment">FILE_CHECK dynamic: value x weight, added to the real server weight.</param>
/// <param name="Pending">Part of a multi-step check passed (one url of several while recovering): no verdict yet.</param>
public readonly record struct CheckResult(
    bool Success,
    string? Reason = null,
    int? DynamicWeight = null,
    long? WeightAdjustment = null,
    bool Pending = false)
{
    public static CheckResult Ok { get; } = new(true);

    /// <summary>A step passed; come back after delay_loop for the next one.</summary>
    public static CheckResult InProgress { get; } = new(true, Pending: true);

    public static CheckResult Fail(string reason) => new(false, reason);
}

/// <summary>One checker's I/O: run one probe, never throw, honour the token.</summary>
public interface ICheckProbe
{
    /// <summary>
    /// Runs one check. Implementations bound themselves by their connect_timeout and return a failed
    /// result instead of throwing; the runner still guards against exceptions and its own timeout.
    /// </summary>
    Task<CheckResult> RunAsync(CancellationToken cancellationToken);
}

/// <summary>A probe whose work depends on whether its checker is UP (HTTP_GET's url-by-url recovery).</summary>
public interface IStateAwareProbe : ICheckProbe
{
    /// <summary>Connections one full run may make, each bounded by connect_timeout (the runner's guard scales with it).</summary>
    int Steps { get; }

    Task<CheckResult> RunAsync(bool checkerIsUp, CancellationToken cancellationToken);
}
