using System.Diagnostics;

namespace Vigil.Testing;

/// <summary>
/// Waiting by polling with a deadline. Tests derive the timeout from protocol bounds plus a margin;
/// the poll interval only sets the resolution of the measured time.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="condition"/> until true; returns the time it took. On timeout throws
    /// <see cref="LabTimeoutException"/> with <paramref name="description"/> and the diagnostics text.
    /// </summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string description,
        Func<Task<string>>? diagnostics = null, TimeSpan? interval = null, LabLog? log = null)
    {
        log?.Write($"wait for {description} (limit {timeout.TotalSeconds:F2} s)");
        var watch = Stopwatch.StartNew();
        var step = interval ?? DefaultInterval;
        // Bounded in count as well as in time, in case the condition itself is slow or the clock misbehaves.
        var maxRounds = (long)(timeout / step) + 1_000;
        for (long round = 0; round < maxRounds; round++)
        {
            if (await condition())
            {
                log?.Write($"  ... {description}: after {watch.Elapsed.TotalSeconds:F3} s");
                return watch.Elapsed;
            }
            if (watch.Elapsed >= timeout)
            {
                break;
            }
            var remaining = timeout - watch.Elapsed;
            await Task.Delay(remaining < step ? remaining : step);
        }
        // One last look: the deadline may have passed while the condition turned true.
        if (await condition())
        {
            return watch.Elapsed;
        }
        var details = "";
        if (diagnostics is not null)
        {
            try
            {
                details = await diagnostics();
            }
            catch (Exception e) when (e is LabCommandException or IOException or TimeoutException or InvalidOperationException)
            {
                details = $"(diagnostics failed: {e.Message})";
            }
        }
        log?.Write($"  ... {description}: TIMED OUT after {watch.Elapsed.TotalSeconds:F3} s");
        throw new LabTimeoutException(
            $"timed out after {watch.Elapsed.TotalSeconds:F2} s (limit {timeout.TotalSeconds:F2} s) waiting for {description}" +
            (details.Length > 0 ? "\n" + details : ""));
    }

    /// <summary>
    /// Checks that <paramref name="condition"/> stays true for all of <paramref name="duration"/> (no flapping);
    /// throws <see cref="LabConditionException"/> at the first poll where it is false.
    /// </summary>
    public static async Task HoldsForAsync(Func<Task<bool>> condition, TimeSpan duration, string description,
        Func<Task<string>>? diagnostics = null, TimeSpan? interval = null, LabLog? log = null)
    {
        log?.Write($"check that {description} holds for {duration.TotalSeconds:F2} s");
        var watch = Stopwatch.StartNew();
        var step = interval ?? DefaultInterval;
        var maxRounds = (long)(duration / step) + 1_000;
        for (long round = 0; round < maxRounds; round++)
        {
            if (!await condition())
            {
                log?.Write($"  ... {description}: STOPPED HOLDING after {watch.Elapsed.TotalSeconds:F3} s");
                var details = diagnostics is null ? "" : "\n" + await diagnostics();
                throw new LabConditionException(
                    $"{description} stopped holding after {watch.Elapsed.TotalSeconds:F2} s (required {duration.TotalSeconds:F2} s){details}");
            }
            if (watch.Elapsed >= duration)
            {
                return;
            }
            var remaining = duration - watch.Elapsed;
            await Task.Delay(remaining < step ? remaining : step);
        }
    }

    /// <summary>Synchronous-condition convenience overload.</summary>
    public static Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan timeout, string description,
        Func<Task<string>>? diagnostics = null, TimeSpan? interval = null, LabLog? log = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, description, diagnostics, interval, log);
}

public sealed class LabTimeoutException : TimeoutException
{
    public LabTimeoutException() { }

    public LabTimeoutException(string message) : base(message) { }

    public LabTimeoutException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A condition the test relies on did not hold; the message carries the lab's diagnostics.</summary>
public sealed class LabConditionException : Exception
{
    public LabConditionException() { }

    public LabConditionException(string message) : base(message) { }

    public LabConditionException(string message, Exception inner) : base(message, inner) { }
}
