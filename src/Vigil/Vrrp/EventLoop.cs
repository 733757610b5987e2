using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Vigil.Vrrp;

/// <summary>Something with timers that the loop drives: a VRRP router, a GARP pacer, a tracker.</summary>
internal interface ITimed
{
    /// <summary>Monotonic time of the next thing to do; <see cref="TimeSpan.MaxValue"/> for none.</summary>
    TimeSpan NextDeadline { get; }

    void OnTimer(TimeSpan now);
}

/// <summary>
/// The one thread on which every VRRP decision is made: work posted from sockets and signals, and timer
/// deadlines, are handled one at a time, so the state machines need no locks (DESIGN: one writer per state).
/// A dedicated thread with a blocking wait keeps timer latency in the sub-millisecond to 1 ms range even
/// when the thread pool is busy with checkers.
/// </summary>
internal sealed partial class EventLoop : IDisposable
{
    private readonly ConcurrentQueue<Action<TimeSpan>> _inbox = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<ITimed> _timed = [];
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly ILogger _log;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public EventLoop(TimeProvider time, ILogger log, string name = "vigil-vrrp")
    {
        _time = time;
        _origin = time.GetTimestamp();
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>Monotonic time since the loop was made, the clock every router runs on.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Work and timers handled so far, for tests and metrics.</summary>
    public long Iterations { get; private set; }

    /// <summary>Exceptions caught from work or timers (each is logged; the loop goes on).</summary>
    public long Faults { get; private set; }

    public void Start() => _thread.Start();

    /// <summary>Queues work for the loop thread; safe from any thread.</summary>
    public void Post(Action<TimeSpan> work)
    {
        _inbox.Enqueue(work);
        _wake.Release();
    }

    /// <summary>Runs work on the loop and waits for it (for start, reload and stop sequences).</summary>
    public Task InvokeAsync(Action<TimeSpan> work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(now =>
        {
            try
            {
                work(now);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>Runs a function on the loop and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<TimeSpan, T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(now =>
        {
            try
            {
                done.SetResult(work(now));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>Adds a timed participant. Call on the loop thread (inside posted work) once running.</summary>
    public void Add(ITimed timed) => _timed.Add(timed);

    public void Remove(ITimed timed) => _timed.Remove(timed);

    public void Stop()
    {
        _stopping = true;
        _wake.Release();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(10));
        }
    }

    private void Run()
    {
        while (!_stopping)
        {
            while (_inbox.TryDequeue(out var work))
            {
                Guard(() => work(Now));
            }
            var now = Now;
            var next = TimeSpan.MaxValue;
            // Index loop: a timer may add or remove participants.
            for (var i = 0; i < _timed.Count; i++)
            {
                var timed = _timed[i];
                if (timed.NextDeadline <= now)
                {
                    Guard(() => timed.OnTimer(now));
                }
                if (i < _timed.Count && _timed[i].NextDeadline < next)
                {
                    next = _timed[i].NextDeadline;
                }
            }
            if (!_inbox.IsEmpty)
            {
                continue;
            }
            var wait = next == TimeSpan.MaxValue ? Timeout.InfiniteTimeSpan : next - Now;
            if (wait == Timeout.InfiniteTimeSpan || wait > TimeSpan.Zero)
            {
                // Round up: waking a little late costs nothing, waking early costs a spin.
                var ms = wait == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Ceiling(Math.Min(wait.TotalMilliseconds, int.MaxValue - 1));
                _wake.Wait(ms);
            }
        }
    }

    private void Guard(Action action)
    {
        Iterations++;
        try
        {
            action();
        }
        catch (Exception e)
        {
            Faults++;
            LogFault(_log, e);
        }
    }

    public void Dispose()
    {
        Stop();
        _wake.Dispose();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "VRRP loop: unexpected error (the loop goes on)")]
    private static partial void LogFault(ILogger logger, Exception exception);
}
