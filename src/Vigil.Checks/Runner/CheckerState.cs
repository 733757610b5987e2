using Vigil.Checks.Options;

namespace Vigil.Checks.Runner;

/// <summary>What to do after one result: when to run next, and whether the checker changed state.</summary>
/// <param name="NextDelay">Delay until the next run (delay_loop, or delay_before_retry while retrying).</param>
/// <param name="Changed">The checker flipped between UP and DOWN.</param>
/// <param name="WillRetry">A failure is being retried.</param>
public readonly record struct CheckStep(TimeSpan NextDelay, bool Changed, bool WillRetry);

/// <summary>
/// keepalived's retry rules for one checker (keepalived.md §4, check_tcp.c tcp_epilog), pure:
/// while UP a failure is retried <c>retry</c> times <c>delay_before_retry</c> apart before DOWN;
/// while DOWN one success means UP; <c>alpha</c> starts DOWN; the first run of a non-alpha checker goes
/// DOWN on its first failure.
/// </summary>
public sealed class CheckerState
{
    public CheckerState(string name, CheckTiming timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        Name = name;
        Timing = timing;
        IsUp = !timing.Alpha;
    }

    public string Name { get; }

    public CheckTiming Timing { get; }

    public bool IsUp { get; private set; }

    /// <summary>At least one result has been applied.</summary>
    public bool HasRun { get; private set; }

    /// <summary>Failures retried so far in the current failure run.</summary>
    public int RetriesUsed { get; private set; }

    /// <summary>The reason of the last failure, kept for status output.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>keepalived compat: the first run comes after a uniformly random delay in [0, warmup].</summary>
    public TimeSpan FirstDelay(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var warmup = Timing.EffectiveWarmup;
        return warmup <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(warmup.Ticks * random.NextDouble()));
    }

    public CheckStep Apply(CheckResult result)
    {
        // A passed step of a multi-step check decides nothing.
        if (result.Success && result.Pending) return new(Timing.DelayLoop, false, false);

        var firstRun = !HasRun;
        HasRun = true;
        if (result.Success)
        {
            RetriesUsed = 0;
            var changed = !IsUp;
            IsUp = true;
            return new(Timing.DelayLoop, changed, false);
        }

        LastFailure = result.Reason ?? "check failed";
        // keepalived compat: at start one failure is enough; retries only protect a checker that is UP.
        if (IsUp && !firstRun && RetriesUsed < Timing.Retry)
        {
            RetriesUsed++;
            return new(Timing.DelayBeforeRetry, false, true);
        }

        RetriesUsed = 0;
        var wentDown = IsUp;
        IsUp = false;
        return new(Timing.DelayLoop, wentDown, false);
    }
}
