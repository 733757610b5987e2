using System.Threading.Channels;

namespace Vigil.Vrrp.Fsm;

/// <summary>
/// The one loop that drives the routers of a <see cref="VrrpDispatcher"/>: inputs from any thread are queued
/// with <see cref="Post"/> and run one at a time on the loop, each with the time it runs at; after every input
/// the due router timers run and one <see cref="TimeProvider"/> timer is re-armed for the earliest deadline.
/// Tests drive it with a FakeTimeProvider and <see cref="RunPending"/>; the host awaits <see cref="RunAsync"/>.
/// </summary>
public sealed class VrrpEventLoop : IDisposable
{
    private static readonly Action<TimeSpan> Tick = static _ => { };

    private readonly Channel<Action<TimeSpan>> _inputs =
        Channel.CreateUnbounded<Action<TimeSpan>>(new UnboundedChannelOptions { SingleReader = true });

    private readonly TimeProvider _time;
    private readonly long _origin;
    private ITimer? _timer;
    private TimeSpan _armedFor = VrrpRouter.Never;

    /// <summary>Creates a loop over <paramref name="dispatcher"/>'s routers.</summary>
    public VrrpEventLoop(VrrpDispatcher dispatcher, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(time);
        Dispatcher = dispatcher;
        _time = time;
        _origin = time.GetTimestamp();
    }

    /// <summary>The routers this loop drives. Touch them only from inside a posted input.</summary>
    public VrrpDispatcher Dispatcher { get; }

    /// <summary>Monotonic time as the routers see it (elapsed since the loop was created).</summary>
    public TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Queues an input (a received packet, a tracker result, start/stop); thread-safe. False after <see cref="Dispose"/>.</summary>
    public bool Post(Action<TimeSpan> input) => _inputs.Writer.TryWrite(input);

    /// <summary>Runs every queued input now, on the calling thread; returns how many ran.</summary>
    public int RunPending()
    {
        int count = 0;
        while (_inputs.Reader.TryRead(out Action<TimeSpan>? input))
        {
            if (ReferenceEquals(input, Tick))
            {
                // The timer fired: re-arm even if the deadline did not move (a timer may fire a little early).
                _armedFor = VrrpRouter.Never;
            }

            input(Now);
            count++;
        }

        TimeSpan now = Now;
        if (Dispatcher.NextDeadline <= now)
        {
            Dispatcher.OnTimer(now);
        }

        Arm();
        return count;
    }

    /// <summary>Runs inputs as they come until <paramref name="cancellationToken"/> fires or the loop is disposed.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        RunPending();
        while (await _inputs.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            RunPending();
        }
    }

    /// <summary>Stops the timer and refuses further inputs.</summary>
    public void Dispose()
    {
        _inputs.Writer.TryComplete();
        _timer?.Dispose();
    }

    private void Arm()
    {
        TimeSpan next = Dispatcher.NextDeadline;
        if (next == _armedFor)
        {
            return;
        }

        _armedFor = next;
        _timer ??= _time.CreateTimer(static state => ((VrrpEventLoop)state!).Post(Tick), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (next == VrrpRouter.Never)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // Round up to whole milliseconds: timers truncate, and firing early only costs a re-arm.
        double ms = Math.Max(0, Math.Ceiling((next - Now).TotalMilliseconds));
        _timer.Change(TimeSpan.FromMilliseconds(ms), Timeout.InfiniteTimeSpan);
    }
}
