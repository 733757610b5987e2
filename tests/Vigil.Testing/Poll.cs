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
        Func<Task<string>>? diagnostics = null, TimeSpan? interval = null)
    {
        var watch = Stopwatch.StartNew();
        var step = interval ?? DefaultInterval;
        // Bounded in count as well as in time, in case the condition itself is slow or the clock misbehaves.
        var maxRounds = (long)(timeout / step) + 1_000;
        for (long round = 0; round < maxRounds; round++)
        {
            if (await condition())
            {
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
        throw new LabTimeoutException(
            $"timed out after {watch.Elapsed.TotalSeconds:F2} s (limit {timeout.TotalSeconds:F2} s) waiting for {description}" +
            (details.Length > 0 ? "\n" + details : ""));
    }

    /// <summary>Synchronous-condition convenience overload.</summary>
    public static Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan timeout, string description,
        Func<Task<string>>? diagnostics = null, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, description, diagnostics, interval);
}

public sealed class LabTimeoutException : TimeoutException
{
    public LabTimeoutException() { }

    public LabTimeoutException(string message) : base(message) { }

    public LabTimeoutException(string message, Exception inner) : base(message, inner) { }
}
