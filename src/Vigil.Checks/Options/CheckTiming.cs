namespace Vigil.Checks.Options;

/// <summary>
/// The timing keywords every checker shares (keepalived.md §4). Defaults differ per checker type:
/// use <see cref="CheckDefaults"/> to get keepalived's values for a type.
/// </summary>
/// <param name="ConnectTimeout">connect_timeout: bound on one probe connection (connect, send, receive);
/// for MISC_CHECK set it to misc_timeout, since the runner's guard derives from it.</param>
/// <param name="Retry">retry: extra attempts while UP before the checker goes DOWN.</param>
/// <param name="DelayBeforeRetry">delay_before_retry: pause between those attempts.</param>
/// <param name="DelayLoop">delay_loop: period between regular checks.</param>
/// <param name="Warmup">warmup: the first check comes after a random delay in [0, warmup]; null means delay_loop.</param>
/// <param name="Alpha">alpha: the checker starts DOWN instead of UP.</param>
/// <param name="LogAllFailures">log_all_failures: report every failure, also those being retried.</param>
public sealed record CheckTiming(
    TimeSpan ConnectTimeout,
    int Retry,
    TimeSpan DelayBeforeRetry,
    TimeSpan DelayLoop,
    TimeSpan? Warmup = null,
    bool Alpha = false,
    bool LogAllFailures = false)
{
    /// <summary>The warmup actually used: keepalived falls back to delay_loop.</summary>
    public TimeSpan EffectiveWarmup => Warmup ?? DelayLoop;
}

/// <summary>The checker types keepalived knows (BFD_CHECK is not implemented here).</summary>
public enum CheckerKind
{
    HttpGet,
    SslGet,
    Tcp,
    Smtp,
    Dns,
    Misc,
    Ping,
    Udp,
    File,
}

/// <summary>keepalived's per-type defaults for the timing keywords (keepalived.md §4).</summary>
public static class CheckDefaults
{
    /// <summary>connect_timeout default, 5 s.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>delay_loop default, 60 s.</summary>
    public static readonly TimeSpan DelayLoop = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Timing for <paramref name="kind"/> with keepalived's defaults; <paramref name="delayLoop"/> matters
    /// because DNS_CHECK retries delay_loop apart and MISC_CHECK's timeout is delay_loop.
    /// </summary>
    public static CheckTiming For(CheckerKind kind, TimeSpan? delayLoop = null)
    {
        var loop = delayLoop ?? DelayLoop;
        return kind switch
        {
            CheckerKind.HttpGet or CheckerKind.SslGet => new(ConnectTimeout, 1, TimeSpan.FromSeconds(3), loop),
            CheckerKind.Tcp => new(ConnectTimeout, 1, TimeSpan.FromSeconds(1), loop),
            CheckerKind.Dns => new(ConnectTimeout, 3, loop, loop),
            CheckerKind.Misc => new(loop, 0, TimeSpan.FromSeconds(1), loop),
            // keepalived.conf(5): retry is 1 unless the type says otherwise; delay_before_retry is 1 s otherwise.
            _ => new(ConnectTimeout, 1, TimeSpan.FromSeconds(1), loop),
        };
    }
}
