using Microsoft.Extensions.Logging;
using Vigil.Alerts;
using Vigil.Config;
using Vigil.Linux.Scripts;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Notify;
using VrrpState = Vigil.Vrrp.Fsm.VrrpState;

namespace Vigil.Vrrp;

/// <summary>
/// Runs notify scripts, writes notify FIFO lines and posts alert mails for instance and sync-group transitions,
/// off the VRRP loop. Each instance (and group) has its own queue: its notifications run one after another in
/// the order of the transitions (a script is waited for before the next starts), so a slow script never
/// reorders them. FIFO lines go through one queue of their own, in transition order across all instances.
/// Mails go to <see cref="Mail"/> (its own bounded queue).
/// </summary>
internal sealed partial class NotifyDispatcher : IAsyncDisposable
{

    private readonly GlobalDefsConfig _global;
    private readonly TrackingScripts _scripts;
    private readonly IScriptRunner _runner;
    private readonly ILogger _log;
    private readonly Dictionary<string, OrderedWorkQueue> _queues = new(StringComparer.Ordinal);
    private readonly OrderedWorkQueue _fifoQueue;
    private readonly List<NotifyFifo> _fifos = [];
    private readonly Dictionary<string, int> _priorities = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private SmtpAlerter? _ownedMail;

    public NotifyDispatcher(GlobalDefsConfig global, TrackingScripts scripts, IScriptRunner runner, ILogger log)
    {
        _global = global;
        _scripts = scripts;
        _runner = runner;
        _log = log;
        _fifoQueue = new OrderedWorkQueue();
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
        // Mails work without wiring: the dispatcher makes its own alerter unless the daemon gives it a shared one.
        _ownedMail = SmtpAlerter.Create(global, TimeProvider.System, log);
        Mail = _ownedMail;
    }

    /// <summary>Where alert mails go; null sends none. Setting it replaces (and stops) the one the dispatcher made.</summary>
    public SmtpAlerter? Mail
    {
        get;
        set
        {
            if (_ownedMail is { } owned && !ReferenceEquals(owned, value))
            {
                _ownedMail = null;
                _ = owned.DisposeAsync().AsTask();
            }
            field = value;
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
    public void Instance(VrrpInstanceConfig instance, VrrpStateChange change)
    {
        lock (_gate)
        {
            _priorities[instance.Name] = change.Priority;
        }
        Enqueue(VrrpNotifySubject.Instance, instance.Name, change.NewState, change.Priority,
            VrrpNotifyFormat.StateScript(change.NewState, instance.NotifyMaster, instance.NotifyBackup, instance.NotifyFault, instance.NotifyStop), instance.Notify);
        if (Mail is { } mail && SmtpAlertRules.Instance(_global, instance, change.NewState) && AlertText.VrrpInstance(mail.RouterId, instance.Name, change.NewState) is { } message)
        {
            mail.Post(message);
        }
    }

    /// <summary>A sync group changed state (call on the loop; returns at once).</summary>
    public void Group(VrrpSyncGroupConfig group, VrrpState state, int priority)
    {
        Enqueue(VrrpNotifySubject.Group, group.Name, state, priority,
            VrrpNotifyFormat.StateScript(state, group.NotifyMaster, group.NotifyBackup, group.NotifyFault, group.NotifyStop), group.Notify);
        if (Mail is { } mail && SmtpAlertRules.Group(_global, group, state) && AlertText.VrrpGroup(mail.RouterId, group.Name, state) is { } message)
        {
            mail.Post(message);
        }
    }

    /// <summary>
    /// A MASTER received an advert with a lower priority (call on the loop; returns at once): the
    /// notify_master_rx_lower_pri script, run as written (keepalived appends no arguments), and the FIFO line
    /// <c>INSTANCE "VI_1" MASTER_RX_LOWER_PRI 100</c> carrying our own priority. keepalived compat (observed):
    /// neither the generic notify script nor a mail is triggered, and it fires for every such advert.
    /// </summary>
    public void MasterRxLowerPriority(VrrpInstanceConfig instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        int priority;
        lock (_gate)
        {
            // Our priority as of the last transition (the one that made us MASTER); the configured one before that.
            priority = _priorities.TryGetValue(instance.Name, out var p) ? p : instance.Priority;
        }
        Notifications++;
        PostFifoLine(FormattableString.Invariant($"INSTANCE \"{instance.Name}\" MASTER_RX_LOWER_PRI {priority}"));
        if (instance.NotifyMasterRxLowerPri is { } line && _scripts.Prepare(line, null, null, null) is { } invocation)
        {
            QueueFor("I:" + instance.Name).Post(() => RunAsync([invocation]));
        }
    }

    private void Enqueue(VrrpNotifySubject subject, string name, VrrpState state, int priority, string? stateScript, string? notify)
    {
        if (state is VrrpState.Init)
        {
            return;
        }

        Notifications++;
        PostFifoLine(VrrpNotifyFormat.FifoLine(subject, name, state, priority));

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
        QueueFor((subject == VrrpNotifySubject.Group ? "G:" : "I:") + name).Post(() => RunAsync(invocations));
    }

    private void PostFifoLine(string line) => _fifoQueue.PostLine(_fifos, line, (fifo, e) => LogFifoFailed(_log, fifo.Path, e.Message));

    private OrderedWorkQueue QueueFor(string key)
    {
        lock (_gate)
        {
            if (!_queues.TryGetValue(key, out var queue))
            {
                _queues[key] = queue = new OrderedWorkQueue();
            }
            return queue;
        }
    }

    private async Task RunAsync(IReadOnlyList<ScriptInvocation> invocations)
    {
        foreach (var invocation in invocations)
        {
            var outcome = await _runner.RunAsync(invocation).ConfigureAwait(false);
            if (outcome.Error is { } error)
            {
                LogScriptFailed(_log, invocation.Command.Text, error);
            }
        }
    }

    /// <summary>Lets queued notifications finish (bounded), then closes the FIFOs and stops the mail it made.</summary>
    public async ValueTask DisposeAsync()
    {
        List<OrderedWorkQueue> all;
        lock (_gate)
        {
            all = [.. _queues.Values, _fifoQueue];
        }
        foreach (var q in all)
        {
            q.Complete();
        }
        await Task.WhenAny(Task.WhenAll(all.Select(q => q.Completion)), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        foreach (var fifo in _fifos)
        {
            fifo.Dispose();
        }
        if (_ownedMail is { } mail)
        {
            await mail.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4501, Level = LogLevel.Error, Message = "notify FIFO {Path}: {Error}")]
    private static partial void LogFifoFailed(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Failed to exec notify script '{Script}': {Error}")]
    private static partial void LogScriptFailed(ILogger logger, string script, string error);
}
