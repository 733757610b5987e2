using Vigil.Checks.Options;

namespace Vigil.Checks.Runner;

/// <summary>One checker to run for a real server.</summary>
public sealed record CheckerRegistration(string Name, CheckTiming Timing, ICheckProbe Probe);

/// <summary>
/// Drives all probes on <see cref="TimeProvider"/> one-shot timers (the runtime's timer queue, no thread
/// per check), with a bound on probes in flight. Results go to the pure <see cref="RealServerHealth"/>;
/// its events go to the sink one at a time, in order. No exception escapes a check loop.
/// </summary>
public sealed class CheckRunner : IAsyncDisposable
{
    /// <summary>Extra time a probe gets past its connect_timeout before the runner gives up on it.</summary>
    public static readonly TimeSpan ProbeGrace = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Action<HealthEvent> _sink;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<RealServerId, ServerEntry> _servers = [];
    private readonly HashSet<string> _suspended = [];
    private bool _started;
    private long _runs;

    /// <param name="time">Clock for timers and probe timeouts.</param>
    /// <param name="random">Source of the warmup jitter.</param>
    /// <param name="sink">Receives events in order; must be quick (e.g. a channel write) and not throw.</param>
    /// <param name="maxConcurrentProbes">Probes in flight at most; the rest wait for a slot.</param>
    public CheckRunner(TimeProvider time, Random random, Action<HealthEvent> sink, int maxConcurrentProbes = 512)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentProbes, 1);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _slots = new SemaphoreSlim(maxConcurrentProbes, maxConcurrentProbes);
    }

    /// <summary>Probe runs whose results have been applied (for metrics, benchmarks and tests).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>This runner's checks by checker keyword: passed, failed, time spent.</summary>
    public CheckerCounters Counters { get; } = new();

    /// <summary>The sum over every runner of the process (for metrics).</summary>
    public static CheckerCounters ProcessCounters { get; } = new();

    /// <summary>Adds a real server; its checks start with <see cref="Start"/> (or at once if already started).</summary>
    public RealServerHealth Add(RealServerId id, int configuredWeight, IReadOnlyList<CheckerRegistration> checkers)
    {
        ArgumentNullException.ThrowIfNull(checkers);
        var health = new RealServerHealth(id, configuredWeight, [.. checkers.Select(c => new CheckerState(c.Name, c.Timing))]);
        var entry = new ServerEntry(health);
        lock (_gate)
        {
            if (!_servers.TryAdd(id, entry)) throw new InvalidOperationException($"real server {id} is already registered");
            for (var i = 0; i < checkers.Count; i++) entry.Loops.Add(new CheckLoop(this, entry, i, checkers[i]));
            if (_started) entry.StartAll(_random);
        }
        return health;
    }

    /// <summary>Stops and forgets a real server (reload removed it).</summary>
    public bool Remove(RealServerId id)
    {
        ServerEntry? entry;
        lock (_gate)
        {
            if (!_servers.Remove(id, out entry)) return false;
            entry.Removed = true;
        }
        foreach (var loop in entry.Loops) loop.Dispose();
        return true;
    }

    /// <summary>The live health of a registered real server.</summary>
    public RealServerHealth? Find(RealServerId id)
    {
        lock (_gate) return _servers.TryGetValue(id, out var e) ? e.Health : null;
    }

    /// <summary>
    /// ha_suspend: while a virtual server's address is absent its checkers skip their runs (state is kept);
    /// they resume on their next delay_loop tick after <paramref name="suspended"/> is false again.
    /// </summary>
    public void Suspend(string virtualServer, bool suspended)
    {
        lock (_gate)
        {
            if (suspended) _suspended.Add(virtualServer);
            else _suspended.Remove(virtualServer);
        }
    }

    /// <summary>Arms every checker's first run after its warmup jitter.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_started) return;
            _started = true;
            foreach (var entry in _servers.Values) entry.StartAll(_random);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ServerEntry> entries;
        lock (_gate)
        {
            entries = [.. _servers.Values];
            _servers.Clear();
            foreach (var e in entries) e.Removed = true;
        }
        // _stopping is cancelled, not disposed: runs still in flight read its token as they wind down.
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in entries.SelectMany(e => e.Loops)) loop.Dispose();
    }

    private sealed class ServerEntry(RealServerHealth health)
    {
        public RealServerHealth Health { get; } = health;

        public List<CheckLoop> Loops { get; } = [];

        public bool Removed { get; set; }

        public void StartAll(Random random)
        {
            foreach (var loop in Loops) loop.Arm(loop.State.FirstDelay(random));
        }
    }

    private sealed class CheckLoop : IDisposable
    {
        private readonly CheckRunner _runner;
        private readonly ServerEntry _entry;
        private readonly int _index;
        private readonly ICheckProbe _probe;
        private readonly string _kind;
        private readonly ITimer _timer;

        public CheckLoop(CheckRunner runner, ServerEntry entry, int index, CheckerRegistration registration)
        {
            _runner = runner;
            _entry = entry;
            _index = index;
            _probe = registration.Probe;
            _kind = CheckerCounters.KindOf(registration.Name);
            _timer = runner._time.CreateTimer(static s => ((CheckLoop)s!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public CheckerState State => _entry.Health.Checkers[_index];

        public void Arm(TimeSpan delay)
        {
            try
            {
                _timer.Change(delay, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Removed while a probe was in flight.
            }
        }

        public void Dispose() => _timer.Dispose();

        private void Fire() => _ = GuardedRunOnceAsync();

        private async Task GuardedRunOnceAsync()
        {
            try
            {
                await RunOnceAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Last line of defence: a run that breaks is retried after delay_loop.
            catch (Exception)
#pragma warning restore CA1031
            {
                if (!_runner._stopping.IsCancellationRequested && !_entry.Removed) Arm(State.Timing.DelayLoop);
            }
        }

        private async Task RunOnceAsync()
        {
            var stopping = _runner._stopping.Token;
            CheckResult result;
            bool suspended;
            lock (_runner._gate) suspended = _runner._suspended.Contains(_entry.Health.Id.VirtualServer);
            if (suspended)
            {
                Arm(State.Timing.DelayLoop);
                return;
            }
            try
            {
                await _runner._slots.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            var started = _runner._time.GetTimestamp();
            try
            {
                result = await RunProbeAsync(stopping).ConfigureAwait(false);
            }
            finally
            {
                _runner._slots.Release();
            }
            if (stopping.IsCancellationRequested) return;
            if (!result.Pending)
            {
                var took = _runner._time.GetElapsedTime(started);
                _runner.Counters.Count(_kind, result.Success, took);
                ProcessCounters.Count(_kind, result.Success, took);
            }

            TimeSpan next;
            lock (_runner._gate)
            {
                if (_entry.Removed) return;
                var events = _entry.Health.Apply(_index, result, out next);
                foreach (var e in events)
                {
                    try
                    {
                        _runner._sink(e);
                    }
#pragma warning disable CA1031 // A faulty sink must not stop health checking.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                    }
                }
            }
            Arm(next);
            Interlocked.Increment(ref _runner._runs);
        }

        private async Task<CheckResult> RunProbeAsync(CancellationToken stopping)
        {
            var steps = _probe is IStateAwareProbe { Steps: > 1 } multi ? multi.Steps : 1;
            var limit = (State.Timing.ConnectTimeout * steps) + ProbeGrace;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            try
            {
                var run = _probe is IStateAwareProbe aware ? aware.RunAsync(State.IsUp, cts.Token) : _probe.RunAsync(cts.Token);
                return await run.WaitAsync(limit, _runner._time, stopping).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await cts.CancelAsync().ConfigureAwait(false);
                return CheckResult.Fail($"no result within {limit.TotalSeconds:0.###}s");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return CheckResult.Fail("stopping");
            }
#pragma warning disable CA1031 // No exception escapes a check loop: it becomes a failed check.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return CheckResult.Fail($"probe error: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}

/// <summary>One checker keyword's totals.</summary>
public readonly record struct CheckerTotals(string Checker, long Passed, long Failed, TimeSpan Time);

/// <summary>Checks by checker keyword (TCP_CHECK, HTTP_GET, ...): passed, failed and time spent; thread-safe.</summary>
public sealed class CheckerCounters
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Entry> _byKind = new(StringComparer.Ordinal);

    /// <summary>"TCP_CHECK#2" (the second checker of a real server) counts as TCP_CHECK.</summary>
    internal static string KindOf(string registrationName)
    {
        var hash = registrationName.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? registrationName : registrationName[..hash];
    }

    internal void Count(string kind, bool passed, TimeSpan took)
    {
        var entry = _byKind.GetOrAdd(kind, static _ => new Entry());
        if (passed) Interlocked.Increment(ref entry.Passed);
        else Interlocked.Increment(ref entry.Failed);
        Interlocked.Add(ref entry.Ticks, took.Ticks);
    }

    /// <summary>The totals, ordered by keyword.</summary>
    public IReadOnlyList<CheckerTotals> Snapshot() =>
        [.. _byKind.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new CheckerTotals(kv.Key, Interlocked.Read(ref kv.Value.Passed), Interlocked.Read(ref kv.Value.Failed), TimeSpan.FromTicks(Interlocked.Read(ref kv.Value.Ticks))))];

    private sealed class Entry
    {
        public long Passed;
        public long Failed;
        public long Ticks;
    }
}
