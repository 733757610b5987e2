using Microsoft.Extensions.Logging;
using Vigil.Balancing;
using Vigil.Checks.Probes;
using Vigil.Cli;
using Vigil.Config;
using Vigil.Linux.Namespaces;
using Vigil.Status;

namespace Vigil.Hosting;

/// <summary>
/// The virtual-server side of the daemon: opens the data plane (IPVS or nftables) only when the
/// configuration has virtual servers, runs the checkers through <see cref="LvsHost"/>, applies reloads
/// as diffs, and on stop removes what vigil programmed unless -I.
/// </summary>
internal sealed partial class LvsRuntime(DaemonOptions options, NetworkNamespace? ns, TimeProvider time, ILoggerFactory logs) : IAsyncDisposable
{
    private readonly ILogger _log = logs.CreateLogger("Vigil.Balancing");
    private IDataPlane? _plane;
    private ProcessScriptRunner? _scripts;
    private LvsHost? _host;
    private IpvsGlobals _globals = IpvsGlobals.None;
    private Linux.Ipvs.IpvsTimeouts? _savedTimeouts;

    public IReadOnlyList<VirtualServerStatus> Snapshot() => _host?.Snapshot() ?? [];

    /// <summary>Starts on the first configuration with virtual servers; later calls reload as a diff.</summary>
    public void Apply(KeepalivedConfig config)
    {
        if (_host is not null)
        {
            if (_plane is IpvsBackend running)
            {
                _globals = ParseGlobals(config);
                ApplyTimeouts(running);
            }
            // LvsHost logs every virtual server it leaves out, naming the keyword and the backend.
            _host.Reload(config);
            return;
        }
        if (config.VirtualServers.Count == 0)
        {
            return;
        }
        // --dataplane wins over the vigil_dataplane keyword of global_defs.
        var wanted = options.DataPlane ?? config.GlobalDefs.VigilDataplane;
        if (!DataPlaneSelector.TryParse(wanted, out var choice))
        {
            LogBadChoice(_log, wanted ?? "");
            return;
        }
        try
        {
            _plane = DataPlaneSelector.Create(choice, ns);
        }
        catch (Exception e) when (e is Linux.KernelException or DllNotFoundException or EntryPointNotFoundException)
        {
            LogNoPlane(_log, e.Message);
            return;
        }
        if (_plane is IpvsBackend ipvs)
        {
            StartIpvs(ipvs, config);
        }
        _scripts = new ProcessScriptRunner();
        _host = new LvsHost(_plane, time, new ProbeFactory(_scripts, static (socket, o) => Linux.Sockets.CheckerSocketOptions.Apply(socket, o.BindInterface, o.Fwmark), ManagedEchoSender.Instance), _log);
        LogStarted(_log, _plane.Name, config.VirtualServers.Count);
        _host.Start(config);
    }

    public async Task StopAsync()
    {
        if (_host is null)
        {
            return;
        }
        // lvs_flush_on_stop (bare) flushes the whole table instead of removing vigil's services one by one; -I keeps everything.
        var flushAll = _plane is IpvsBackend && _globals.FlushOnStop == LvsFlushOnStop.All && !options.DontReleaseIpvs;
        await _host.StopAsync(keepServices: options.DontReleaseIpvs || flushAll).ConfigureAwait(false);
        if (_plane is IpvsBackend ipvs)
        {
            Ipvs(() =>
            {
                if (flushAll)
                {
                    ipvs.Flush();
                    LogFlushed(_log, "lvs_flush_on_stop");
                }
                // keepalived compat: the timeouts the kernel had before lvs_timeouts are put back.
                if (_savedTimeouts is { } saved)
                {
                    ipvs.SetTimeouts(saved);
                }
            });
        }
    }

    /// <summary>lvs_flush, then lvs_timeouts (remembering the kernel's own to restore at stop), before any service is added.</summary>
    private void StartIpvs(IpvsBackend ipvs, KeepalivedConfig config)
    {
        _globals = ParseGlobals(config);
        if (_globals.FlushAtStart)
        {
            Ipvs(() =>
            {
                ipvs.Flush();
                LogFlushed(_log, "lvs_flush");
            });
        }
        ApplyTimeouts(ipvs);
    }

    /// <summary>Sets lvs_timeouts when given (at start and on each reload); without it the kernel's stay as they are.</summary>
    private void ApplyTimeouts(IpvsBackend ipvs)
    {
        if (_globals.Timeouts is not { } timeouts)
        {
            return;
        }
        Ipvs(() =>
        {
            _savedTimeouts ??= ipvs.GetTimeouts();
            ipvs.SetTimeouts(timeouts);
        });
    }

    private IpvsGlobals ParseGlobals(KeepalivedConfig config)
    {
        var problems = new List<string>();
        var globals = IpvsGlobals.From(config.GlobalDefs, problems);
        foreach (var problem in problems)
        {
            LogIpvsProblem(_log, problem);
        }
        return globals;
    }

    private void Ipvs(Action action)
    {
        try
        {
            action();
        }
        catch (Linux.KernelException e)
        {
            LogIpvsProblem(_log, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }
        _plane?.Dispose();
        _scripts?.Dispose();
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "--dataplane {Value}: expected auto, ipvs or nftables; virtual servers are not run")]
    private static partial void LogBadChoice(ILogger logger, string value);

    [LoggerMessage(EventId = 51, Level = LogLevel.Error, Message = "No load-balancing data plane: {Error}; virtual servers are not run")]
    private static partial void LogNoPlane(ILogger logger, string error);

    [LoggerMessage(EventId = 53, Level = LogLevel.Warning, Message = "IPVS: {Problem}")]
    private static partial void LogIpvsProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 54, Level = LogLevel.Information, Message = "{Keyword}: flushed the IPVS table")]
    private static partial void LogFlushed(ILogger logger, string keyword);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Running {Count} virtual servers on {DataPlane}")]
    private static partial void LogStarted(ILogger logger, string dataPlane, int count);
}
