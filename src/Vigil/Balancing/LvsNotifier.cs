using System.Globalization;
using Microsoft.Extensions.Logging;
using Vigil.Alerts;
using Vigil.Config;
using Vigil.Linux.Scripts;
using Vigil.Vrrp;

namespace Vigil.Balancing;

/// <summary>
/// What the operator hears about real and virtual servers, as keepalived 2.2.7 does it (observed inside
/// User-Mode Linux with IPVS): notify_up / notify_down of real servers and quorum_up / quorum_down of virtual
/// servers run as written (no arguments appended); lvs_notify_fifo and notify_fifo get
/// <c>RS [rs]:tcp:80 [vs]:tcp:80 UP|DOWN</c> and <c>VS [vs]:tcp:80 UP|DOWN</c>; mails per smtp_alert.
/// Calls return at once: FIFO lines go through one ordered queue, scripts through one queue per server.
/// </summary>
internal sealed partial class LvsNotifier : IAsyncDisposable
{
    private readonly GlobalDefsConfig _global;
    private readonly TrackingScripts _scripts;
    private readonly IScriptRunner _runner;
    private readonly ILogger _log;
    private readonly OrderedWorkQueue _fifoQueue = new();
    private readonly Dictionary<string, OrderedWorkQueue> _queues = new(StringComparer.Ordinal);
    private readonly List<NotifyFifo> _fifos = [];
    private readonly SmtpAlerter? _ownedMail;

    /// <param name="mail">A shared alerter; null makes one from <paramref name="global"/> (owned, stopped on dispose).</param>
    public LvsNotifier(GlobalDefsConfig global, IScriptRunner runner, ILogger log, SmtpAlerter? mail = null, TrackingScripts? scripts = null)
    {
        _global = global ?? throw new ArgumentNullException(nameof(global));
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _scripts = scripts ?? new TrackingScripts(global, log);
        if (mail is null)
        {
            _ownedMail = SmtpAlerter.Create(global, TimeProvider.System, log);
            mail = _ownedMail;
        }
        Mail = mail;
        // keepalived compat (observed): checker lines go to lvs_notify_fifo and to notify_fifo.
        foreach (var fifo in new[] { global.LvsNotifyFifo, global.NotifyFifo })
        {
            if (fifo is null)
            {
                continue;
            }
            try
            {
                _fifos.Add(NotifyFifo.Open(fifo.Path));
                // notify_fifo_script is started by the VRRP side (NotifyDispatcher): once, not once per reader.
                if (ReferenceEquals(fifo, global.LvsNotifyFifo) && fifo.Script is { } script && _scripts.Prepare(script + " " + fifo.Path, null, null, null) is { } invocation)
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

    public SmtpAlerter? Mail { get; }

    /// <summary>Notifications given so far (FIFO lines or scripts or mails), for tests.</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    private long _notifications;

    /// <summary>Prepares a virtual server's scripts at load, so script-security findings are logged at start.</summary>
    public void Prepare(VirtualServerConfig virtualServer)
    {
        ArgumentNullException.ThrowIfNull(virtualServer);
        foreach (var line in virtualServer.RealServers.SelectMany(r => new[] { r.NotifyUp, r.NotifyDown }).Append(virtualServer.QuorumUp).Append(virtualServer.QuorumDown))
        {
            if (line is not null)
            {
                _scripts.Prepare(line, null, null, null);
            }
        }
    }

    /// <summary>A real server went up or down. <paramref name="checker"/> is the checker that decided (config keyword).</summary>
    public void RealServer(VirtualServerConfig virtualServer, RealServerConfig realServer, bool up, string? checker, string? reason)
    {
        ArgumentNullException.ThrowIfNull(virtualServer);
        ArgumentNullException.ThrowIfNull(realServer);
        Interlocked.Increment(ref _notifications);
        var vs = VirtualServerName(virtualServer);
        var rs = RealServerName(virtualServer, realServer);
        PostFifoLine($"RS {rs} {vs} {(up ? "UP" : "DOWN")}");
        RunScript("RS " + rs + " " + vs, up ? realServer.NotifyUp : realServer.NotifyDown);
        if (Mail is { } mail && SmtpAlertRules.RealServer(_global, realServer))
        {
            mail.Post(AlertText.RealServer(mail.RouterId, rs, vs, up, checker, reason));
        }
    }

    /// <summary>
    /// A virtual server gained or lost quorum. <paramref name="starting"/>: the daemon (or a reload adding the
    /// virtual server) starts with quorum, which keepalived announces too (quorum_up, "VS ... UP", mail).
    /// </summary>
    public void VirtualServer(VirtualServerConfig virtualServer, bool up, bool starting, int liveWeight)
    {
        ArgumentNullException.ThrowIfNull(virtualServer);
        Interlocked.Increment(ref _notifications);
        var vs = VirtualServerName(virtualServer);
        PostFifoLine($"VS {vs} {(up ? "UP" : "DOWN")}");
        RunScript("VS " + vs, up ? virtualServer.QuorumUp : virtualServer.QuorumDown);
        if (Mail is { } mail && SmtpAlertRules.VirtualServer(_global, virtualServer))
        {
            mail.Post(AlertText.VirtualServer(mail.RouterId, vs, up, starting, virtualServer.Quorum, virtualServer.Hysteresis, liveWeight));
        }
    }

    /// <summary>keepalived's spelling of a virtual server: <c>[10.0.0.1]:tcp:80</c>, <c>FWM 5</c>.</summary>
    public static string VirtualServerName(VirtualServerConfig virtualServer)
    {
        ArgumentNullException.ThrowIfNull(virtualServer);
        return virtualServer.ToString();
    }

    /// <summary>
    /// keepalived's spelling of a real server: <c>[10.0.0.2]:tcp:8080</c>, with the virtual server's protocol;
    /// keepalived compat (observed): "none" for a fwmark service; the port is the virtual server's when not given.
    /// </summary>
    public static string RealServerName(VirtualServerConfig virtualServer, RealServerConfig realServer)
    {
        ArgumentNullException.ThrowIfNull(virtualServer);
        ArgumentNullException.ThrowIfNull(realServer);
        var protocol = virtualServer.Fwmark is not null ? "none" : virtualServer.Protocol.ToString().ToLowerInvariant();
        var port = realServer.Port != 0 || virtualServer.Fwmark is not null ? realServer.Port : virtualServer.Port;
        var address = realServer.Address.IsIPv4MappedToIPv6 ? realServer.Address.MapToIPv4() : realServer.Address;
        return string.Create(CultureInfo.InvariantCulture, $"[{address}]:{protocol}:{port}");
    }

    private void RunScript(string key, string? line)
    {
        if (line is null || _scripts.Prepare(line, null, null, null) is not { } invocation)
        {
            return;
        }
        OrderedWorkQueue queue;
        lock (_queues)
        {
            if (!_queues.TryGetValue(key, out queue!))
            {
                _queues[key] = queue = new OrderedWorkQueue();
            }
        }
        queue.Post(async () =>
        {
            var outcome = await _runner.RunAsync(invocation).ConfigureAwait(false);
            if (outcome.Error is { } error)
            {
                LogScriptFailed(_log, invocation.Command.Text, error);
            }
        });
    }

    private void PostFifoLine(string line) => _fifoQueue.PostLine(_fifos, line, (fifo, e) => LogFifoFailed(_log, fifo.Path, e.Message));

    /// <summary>Lets queued notifications finish (bounded), then closes the FIFOs and stops the mail it made.</summary>
    public async ValueTask DisposeAsync()
    {
        List<OrderedWorkQueue> all;
        lock (_queues)
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
        if (_ownedMail is not null)
        {
            await _ownedMail.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5111, Level = LogLevel.Error, Message = "lvs notify FIFO {Path}: {Error}")]
    private static partial void LogFifoFailed(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "Failed to exec notify script '{Script}': {Error}")]
    private static partial void LogScriptFailed(ILogger logger, string script, string error);
}
