using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vigil.Balancing;
using Vigil.Cli;
using Vigil.Config;
using Vigil.Dumps;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using Vigil.Logging;
using Vigil.Metrics;
using Vigil.Status;
using Vigil.Vrrp;

namespace Vigil.Hosting;

/// <summary>
/// The composition root of a running daemon: configuration, logging, pid file, the VRRP loop and its host,
/// the control socket and metrics, and the signal loop that drives reload, dumps and stop.
/// </summary>
internal sealed partial class Daemon
{
    private readonly DaemonOptions _options;
    private readonly TimeProvider _time;
    private readonly TextWriter _console;
    private NetworkNamespace? _namespace;

    /// <summary>lvs_sync_daemon, following its VRRP instance; touched only on the VRRP loop.</summary>
    private LvsSyncDaemon? _syncDaemon;

    public Daemon(DaemonOptions options, TimeProvider time, TextWriter console)
    {
        _options = options;
        _time = time;
        _console = console;
    }

    public async Task<int> RunAsync()
    {
        using var logs = LoggingSetup.Create(_options, _console, _time);
        var log = logs.CreateLogger("Vigil");
        LogStarting(log, CommandLine.VersionText, Environment.ProcessId);

        using var ns = _options.Namespace is { } name ? NetworkNamespace.Open(name) : null;
        _namespace = ns;
        using var rtnl = RouteNetlink.Open(ns);
        var loaded = LoadConfig(rtnl);
        LogDiagnostics(log, loaded);
        if (loaded.Config is not { } config)
        {
            LogNoConfig(log, _options.ConfigFile);
            return ExitCodes.ConfigCannotRun;
        }
        if (_options.DumpConfig)
        {
            foreach (var line in ConfigDumper.Dump(config).Split('\n'))
            {
                LogDump(log, line);
            }
        }

        using var pid = PidFile.Acquire(_options.PidFile ?? PidFile.DefaultPath, Environment.ProcessId);
        using var vrrpPid = _options.VrrpPidFile is { } v ? PidFile.Acquire(v, Environment.ProcessId) : null;
        using var checkersPid = _options.CheckersPidFile is { } c ? PidFile.Acquire(c, Environment.ProcessId) : null;

        // Every endpoint this daemon owns is taken before VRRP starts: a clash (another daemon's control
        // socket or metrics port) is a clear error before a single advert is sent or a VIP added.
        Snapshots? snapshots = null;
        await using var control = ControlServer.Start(_options.ControlSocket ?? ControlServer.DefaultPath,
            () => snapshots?.Status() ?? StatusSnapshot.Empty, log);
        await using var metrics = StartMetrics(() => snapshots, log);

        var signals = Channel.CreateUnbounded<SignalFunction>();
        using var registrations = new DaemonSignals(f => signals.Writer.TryWrite(f));

        using var loop = new EventLoop(_time, logs.CreateLogger("Vigil.Vrrp"));
        loop.Start();
        using var announcer = new GratuitousAnnouncer(rtnl, ns, logs.CreateLogger("Vigil.Vrrp"), () => loop.Now);
        announcer.Configure(config);
        await loop.InvokeAsync(_ => loop.Add(announcer.Pacer)).ConfigureAwait(false);
        var staticNetwork = new StaticNetwork(rtnl, logs.CreateLogger("Vigil.Vrrp"));
        // lvs_sync_daemon follows its VRRP instance: state changes reach it on the loop, one at a time.
        var vrrp = new VrrpHost(loop, rtnl, ns, announcer, logs, (running, change) => _syncDaemon?.OnInstanceState(running.Config.Name, change.NewState));
        await using var _ = vrrp.ConfigureAwait(false);
        if (!_options.CheckOnly)
        {
            // static_ipaddress / static_routes / static_rules: set before any instance runs, whatever its state.
            await loop.InvokeAsync(_ => staticNetwork.Apply(config)).ConfigureAwait(false);
            _syncDaemon = await loop.InvokeAsync(_ => LvsSyncDaemon.Start(config, ns, logs.CreateLogger("Vigil.Balancing"))).ConfigureAwait(false);
            await loop.InvokeAsync(now => vrrp.Start(config, now)).ConfigureAwait(false);
        }

        snapshots = new Snapshots(loop, vrrp, _time);
        await using var lvs = new LvsRuntime(_options, ns, _time, logs);
        if (!_options.VrrpOnly)
        {
            lvs.Apply(config);
            snapshots.VirtualServers = lvs.Snapshot;
        }
        LogStarted(log);
        using var systemd = new SystemdNotifier();
        systemd.Ready($"{config.VrrpInstances.Count} VRRP instances, {config.VirtualServers.Count} virtual servers");

        await foreach (var function in signals.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (function == SignalFunction.Stop)
            {
                break;
            }
            try
            {
                if (function == SignalFunction.Reload)
                {
                    systemd.Reloading();
                    config = await ReloadAsync(config, rtnl, loop, vrrp, announcer, staticNetwork, log).ConfigureAwait(false);
                    if (!_options.VrrpOnly)
                    {
                        lvs.Apply(config);
                    }
                    systemd.Ready("reloaded");
                    continue;
                }
                Handle(function, config, snapshots, log);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                LogSignalFailed(log, function, e.Message);
            }
        }

        LogStopping(log);
        systemd.Stopping();
        if (!_options.CheckOnly)
        {
            await loop.InvokeAsync(now => vrrp.StopAll(now, releaseAddresses: !_options.DontReleaseVrrp)).ConfigureAwait(false);
            // keepalived compat: 2.2.7 removes the static addresses, routes and rules on stop.
            await loop.InvokeAsync(_ => staticNetwork.Remove()).ConfigureAwait(false);
            await loop.InvokeAsync(_ => _syncDaemon?.Dispose()).ConfigureAwait(false);
        }
        await lvs.StopAsync().ConfigureAwait(false);
        LogStopped(log, CommandLine.VersionText);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// HUP: the new file is parsed and validated first; a file with errors is reported and the running
    /// configuration stays. Otherwise the VRRP instances are reconciled as a diff.
    /// </summary>
    private async Task<KeepalivedConfig> ReloadAsync(KeepalivedConfig running, RouteNetlink rtnl, EventLoop loop, VrrpHost vrrp,
        GratuitousAnnouncer announcer, StaticNetwork staticNetwork, ILogger log)
    {
        LogReloading(log, _options.ConfigFile);
        var loaded = LoadConfig(rtnl);
        LogDiagnostics(log, loaded);
        if (loaded.Config is not { } next || loaded.HasErrors)
        {
            LogReloadRejected(log, _options.ConfigFile, loaded.Diagnostics.Count(d => d.Severity == ConfigSeverity.Error));
            return running;
        }
        if (!_options.CheckOnly)
        {
            var summary = await loop.InvokeAsync(now =>
            {
                announcer.Configure(next);
                staticNetwork.Apply(next);
                if (next.GlobalDefs.LvsSyncDaemon is null)
                {
                    _syncDaemon?.Dispose();
                    _syncDaemon = null;
                }
                else if (_syncDaemon is null)
                {
                    _syncDaemon = LvsSyncDaemon.Start(next, _namespace, log);
                }
                else
                {
                    _syncDaemon.Reconfigure(next);
                }
                return vrrp.Apply(next, now);
            }).ConfigureAwait(false);
            LogReloaded(log, summary.Kept, summary.Resumed, summary.Added, summary.Removed, summary.Restarted);
        }
        return next;
    }

    private static void Handle(SignalFunction function, KeepalivedConfig config, Snapshots snapshots, ILogger log)
    {
        switch (function)
        {
            case SignalFunction.Json:
                KeepalivedDumps.WriteFile(Setting(config, "json_dump_file") ?? KeepalivedDumps.DefaultJsonFile, KeepalivedDumps.Json(snapshots.Dump()));
                LogDumped(log, "json");
                break;
            case SignalFunction.Stats:
            case SignalFunction.StatsClear:
                KeepalivedDumps.WriteFile(Setting(config, "stats_dump_file") ?? KeepalivedDumps.DefaultStatsFile, KeepalivedDumps.Stats(snapshots.Dump()));
                LogDumped(log, "stats");
                break;
            case SignalFunction.Data:
                KeepalivedDumps.WriteFile(Setting(config, "state_dump_file") ?? KeepalivedDumps.DefaultDataFile, ConfigDumper.Dump(config) + "\n" + StatusText.ToTable(snapshots.Status()));
                LogDumped(log, "data");
                break;
        }
    }

    // The script-security warning is logged by the script runner in keepalived's exact words; not twice.
    private static void LogDiagnostics(ILogger log, ConfigLoadResult loaded)
    {
        foreach (var diagnostic in loaded.Diagnostics.Where(d => !d.IsScriptSecurity))
        {
            LogDiagnostic(log, diagnostic.ToString());
        }
    }

    /// <summary>A pass-through global_defs keyword's first argument (the dump file names live there).</summary>
    private static string? Setting(KeepalivedConfig config, string keyword) =>
        config.GlobalDefs.Other.FirstOrDefault(s => s.Keyword == keyword) is { Args.Count: > 0 } setting ? setting.Args[0] : null;

    private ConfigLoadResult LoadConfig(RouteNetlink rtnl) =>
        ConfigLoader.Load(_options.ConfigFile, ConfigOptions(_options, new NetlinkInterfaces(rtnl)));

    internal static ConfigLoadOptions ConfigOptions(DaemonOptions options, IHostInterfaces? interfaces) => new()
    {
        ConfigId = options.ConfigId ?? ShortHostName(),
        Interfaces = interfaces,
        Environment = Environment.GetEnvironmentVariable,
    };

    internal static string ShortHostName() => Environment.MachineName.Split('.')[0];

    private MetricsServer? StartMetrics(Func<Snapshots?> snapshots, ILogger log)
    {
        if (_options.MetricsEndpoint is not { } text)
        {
            return null;
        }
        if (!MetricsServer.TryParseEndpoint(text, out var endpoint))
        {
            throw new InvalidOperationException($"--metrics {text}: expected ADDR:PORT");
        }
        return MetricsServer.Start(endpoint, () => snapshots() is { } s ? PrometheusText.Render(s.Status(), s.Samples()) : PrometheusText.Render(StatusSnapshot.Empty, []), log);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting {Version}, pid {Pid}")]
    private static partial void LogStarting(ILogger logger, string version, int pid);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Startup complete")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopping")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Stopped {Version}")]
    private static partial void LogStopped(ILogger logger, string version);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Diagnostic}")]
    private static partial void LogDiagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Configuration file {File} could not be read; nothing to run")]
    private static partial void LogNoConfig(ILogger logger, string file);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogDump(ILogger logger, string line);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Reload of {File} failed ({Errors} errors): the running configuration stays")]
    private static partial void LogReloadRejected(ILogger logger, string file, int errors);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Reloading {File}")]
    private static partial void LogReloading(ILogger logger, string file);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Reload done: {Kept} instances kept ({Resumed} changed in place), {Added} added, {Removed} removed, {Restarted} restarted")]
    private static partial void LogReloaded(ILogger logger, int kept, int resumed, int added, int removed, int restarted);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Printing VRRP {Kind} on signal")]
    private static partial void LogDumped(ILogger logger, string kind);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Signal {Function} failed: {Error}")]
    private static partial void LogSignalFailed(ILogger logger, SignalFunction function, string error);
}

/// <summary>The config's view of this host's interfaces, answered by rtnetlink.</summary>
internal sealed class NetlinkInterfaces(RouteNetlink rtnl) : IHostInterfaces
{
    public bool Exists(string name) => rtnl.InterfaceExists(name);
}
