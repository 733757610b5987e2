using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux.Scripts;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Notify;
using VrrpState = Vigil.Vrrp.Fsm.VrrpState;

namespace Vigil.Vrrp;

/// <summary>
/// Runs notify scripts and writes notify FIFO lines for instance and sync-group transitions, off the VRRP loop.
/// Each instance (and group) has its own queue: its notifications run one after another in the order of the
/// transitions (a script is waited for before the next starts), so a slow script never reorders them.
/// FIFO lines go through one queue of their own, in transition order across all instances.
/// </summary>
internal sealed partial class NotifyDispatcher : IAsyncDisposable
{
    private readonly TrackingScripts _scripts;
    private readonly IScriptRunner _runner;
    private readonly ILogger _log;
    private readonly Dictionary<string, Queue> _queues = new(StringComparer.Ordinal);
    private readonly Queue _fifoQueue;
    private readonly List<NotifyFifo> _fifos = [];

    public NotifyDispatcher(GlobalDefsConfig global, TrackingScripts scripts, IScriptRunner runner, ILogger log)
    {
        _scripts = scripts;
        _runner = runner;
        _log = log;
        _fifoQueue = new Queue();
        // keepalived compat: VRRP lines go to notify_fifo and to vrrp_notify_fifo.
        foreach (var fifo in new[] { global.NotifyFifo, global.VrrpNotifyFifo })
        {
            if (fifo is null)
            {
                continue;
            }
            try
            {
                _fifos.Add(NotifyFifo.Open(fifo.Path));
                if (fifo.Script is { } script && _scripts.Prepare(script + " " + fifo.Path, null, null, null) is { } invocation)
                {
                    _ = _runner.RunAsync(invocation);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogFifoFailed(_log, fifo.Path, e.Message);
            }
        }
    }

    /// <summary>Notify lines given to scripts and FIFOs so far (for tests and status).</summary>
    public long Notifications { get; private set; }

    /// <summary>Prepares the scripts of an instance or group up front, so checks are logged at start as keepalived does.</summary>
    public void Prepare(string? master, string? backup, string? fault, string? stop, string? notify)
    {
        foreach (var line in new[] { master, backup, fault, stop, notify })
        {
            if (line is not null)
            {
                _scripts.Prepare(line, null, null, null);
            }
        }
    }

    /// <summary>An instance changed state (call on the loop; returns at once).</summary>
    public void Instance(VrrpInstanceConfig instance, VrrpStateChange change) =>
        Enqueue(VrrpNotifySubject.Instance, instance.Name, change.NewState, change.Priority,
            VrrpNotifyFormat.StateScript(change.NewState, instance.NotifyMaster, instance.NotifyBackup, instance.NotifyFault, instance.NotifyStop), instance.Notify);

    /// <summary>A sync group changed state (call on the loop; returns at once).</summary>
    public void Group(VrrpSyncGroupConfig group, VrrpState state, int priority) =>
        Enqueue(VrrpNotifySubject.Group, group.Name, state, priority,
            VrrpNotifyFormat.StateScript(state, group.NotifyMaster, group.NotifyBackup, group.NotifyFault, group.NotifyStop), group.Notify);

    private void Enqueue(VrrpNotifySubject subject, string name, VrrpState state, int priority, string? stateScript, string? notify)
    {
        if (state is VrrpState.Init)
        {
            return;
        }

        Notifications++;
        if (_fifos.Count > 0)
        {
            var line = VrrpNotifyFormat.FifoLine(subject, name, state, priority);
            _fifoQueue.Post(() =>
            {
                foreach (var fifo in _fifos)
                {
                    try
                    {
                        fifo.WriteLine(line);
                    }
                    catch (IOException e)
                    {
                        LogFifoFailed(_log, fifo.Path, e.Message);
                    }
                }
                return Task.CompletedTask;
            });
        }

        var invocations = new List<ScriptInvocation>(2);
        if (stateScript is not null && _scripts.Prepare(stateScript, null, null, null) is { } given)
        {
            invocations.Add(given);
        }
        if (notify is not null && _scripts.Prepare(notify, null, null, null) is { } generic)
        {
            invocations.Add(generic with { Command = generic.Command.WithArguments(VrrpNotifyFormat.NotifyArguments(subject, name, state, priority)) });
        }
        if (invocations.Count == 0)
        {
            return;
        }

        var key = (subject == VrrpNotifySubject.Group ? "G:" : "I:") + name;
        if (!_queues.TryGetValue(key, out var queue))
        {
            _queues[key] = queue = new Queue();
        }
        queue.Post(async () =>
        {
            foreach (var invocation in invocations)
            {
                var outcome = await _runner.RunAsync(invocation).ConfigureAwait(false);
                if (outcome.Error is { } error)
                {
                    LogScriptFailed(_log, invocation.Command.Text, error);
                }
            }
        });
    }

    /// <summary>Lets queued notifications finish (bounded), then closes the FIFOs.</summary>
    public async ValueTask DisposeAsync()
    {
        var all = _queues.Values.Append(_fifoQueue).ToList();
        foreach (var q in all)
        {
            q.Complete();
        }
        await Task.WhenAny(Task.WhenAll(all.Select(q => q.Completion)), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        foreach (var fifo in _fifos)
        {
            fifo.Dispose();
        }
    }

    /// <summary>One ordered work queue with one consumer task.</summary>
    private sealed class Queue
    {
        private readonly Channel<Func<Task>> _channel = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });

        public Queue()
        {
            Completion = Task.Run(RunAsync);
        }

        public Task Completion { get; }

        public void Post(Func<Task> work) => _channel.Writer.TryWrite(work);

        public void Complete() => _channel.Writer.TryComplete();

        private async Task RunAsync()
        {
            await foreach (var work in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    await work().ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
                {
                    // A failed notification must not stop the ones after it.
                }
            }
        }
    }

    [LoggerMessage(EventId = 4501, Level = LogLevel.Error, Message = "notify FIFO {Path}: {Error}")]
    private static partial void LogFifoFailed(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Failed to exec notify script '{Script}': {Error}")]
    private static partial void LogScriptFailed(ILogger logger, string script, string error);
}
