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

    public IReadOnlyList<VirtualServerStatus> Snapshot() => _host?.Snapshot() ?? [];

    /// <summary>Starts on the first configuration with virtual servers; later calls reload as a diff.</summary>
    public void Apply(KeepalivedConfig config)
    {
        if (_host is not null)
        {
            // LvsHost logs every virtual server it leaves out, naming the keyword and the backend.
            _host.Reload(config);
            return;
        }
        if (config.VirtualServers.Count == 0)
        {
            return;
        }
        if (!DataPlaneSelector.TryParse(options.DataPlane, out var choice))
        {
            LogBadChoice(_log, options.DataPlane ?? "");
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
        _scripts = new ProcessScriptRunner();
        _host = new LvsHost(_plane, time, new ProbeFactory(_scripts, null, ManagedEchoSender.Instance), _log);
        LogStarted(_log, _plane.Name, config.VirtualServers.Count);
        _host.Start(config);
    }

    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(keepServices: options.DontReleaseIpvs).ConfigureAwait(false);
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

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Running {Count} virtual servers on {DataPlane}")]
    private static partial void LogStarted(ILogger logger, string dataPlane, int count);
}
