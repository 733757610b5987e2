using System.CommandLine;
using System.CommandLine.Parsing;

namespace Vigil.Cli;

/// <summary>
/// keepalived's command line (2.2.7 --help), plus vigil's sub-commands. Parsing is separate from running
/// so that tests can check what each flag means without starting anything.
/// </summary>
internal static class CommandLine
{
    public static readonly Option<string> UseFile = new("--use-file", "-f")
    {
        Description = "Use the specified configuration file",
        HelpName = "FILE",
        DefaultValueFactory = _ => DaemonOptions.DefaultConfigFile,
    };
    public static readonly Option<bool> Vrrp = new("--vrrp", "-P") { Description = "Only run with VRRP subsystem" };
    public static readonly Option<bool> Check = new("--check", "-C") { Description = "Only run with Health-checker subsystem" };
    public static readonly Option<bool> LogConsole = new("--log-console", "-l") { Description = "Log messages to local console" };
    public static readonly Option<bool> LogDetail = new("--log-detail", "-D") { Description = "Detailed log messages" };
    public static readonly Option<int?> LogFacility = new("--log-facility", "-S")
    {
        Description = "0-7 Set syslog facility to LOG_LOCAL[0-7]",
        HelpName = "0-7",
    };
    public static readonly Option<string?> LogFile = new("--log-file", "-g")
    {
        Description = "Also log to a file (default /tmp/keepalived.log)",
        HelpName = "FILE",
        Arity = ArgumentArity.ZeroOrOne,
    };
    public static readonly Option<bool> NoSyslog = new("--no-syslog", "-G") { Description = "Don't log via syslog" };
    public static readonly Option<bool> DontFork = new("--dont-fork", "-n") { Description = "Don't fork the daemon process" };
    public static readonly Option<bool> DumpConf = new("--dump-conf", "-d") { Description = "Dump the configuration data" };
    public static readonly Option<string?> Pid = new("--pid", "-p") { Description = "Use specified pidfile for parent process", HelpName = "FILE" };
    public static readonly Option<string?> VrrpPid = new("--vrrp_pid", "-r") { Description = "Use specified pidfile for VRRP child process", HelpName = "FILE" };
    public static readonly Option<string?> CheckersPid = new("--checkers_pid", "-c") { Description = "Use specified pidfile for checkers child process", HelpName = "FILE" };
    public static readonly Option<string?> ConfigTest = new("--config-test", "-t")
    {
        Description = "Check the configuration for obvious errors, output to stderr by default",
        HelpName = "LOG_FILE",
        Arity = ArgumentArity.ZeroOrOne,
    };
    public static readonly Option<string?> ConfigId = new("--config-id", "-i")
    {
        Description = "Skip any configuration lines beginning '@' that don't match id (default: short host name)",
        HelpName = "ID",
    };
    public static readonly Option<string?> Namespace = new("--namespace", "-s") { Description = "Run in network namespace NAME", HelpName = "NAME" };
    public static readonly Option<bool> ReleaseVips = new("--release-vips", "-X") { Description = "Drop VIP on transition from signal." };
    public static readonly Option<bool> DontReleaseVrrp = new("--dont-release-vrrp", "-V") { Description = "Don't remove VRRP VIPs and VROUTEs on daemon stop" };
    public static readonly Option<bool> DontReleaseIpvs = new("--dont-release-ipvs", "-I") { Description = "Don't remove IPVS topology on daemon stop" };
    public static readonly Option<bool> DontRespawn = new("--dont-respawn", "-R") { Description = "Don't respawn child processes" };
    public static readonly Option<string?> Signum = new("--signum")
    {
        Description = "Report signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON",
        HelpName = "SIGFUNC",
    };
    public static readonly Option<bool> Version = new("--version", "-v") { Description = "Display the version number" };
    public static readonly Option<string?> ControlSocket = new("--control-socket")
    {
        Description = "Unix socket for 'vigil status' (vigil only)",
        HelpName = "PATH",
    };
    public static readonly Option<string?> Metrics = new("--metrics")
    {
        Description = "Serve Prometheus metrics on ADDR:PORT (vigil only)",
        HelpName = "ADDR:PORT",
    };

    public static readonly Option<string?> DataPlane = new("--dataplane")
    {
        Description = "Load-balancing data plane: auto (IPVS if the kernel has it, else nftables), ipvs or nftables (vigil only)",
        HelpName = "auto|ipvs|nftables",
    };

    public static RootCommand Build(Func<DaemonOptions, int> runDaemon, Func<string?, bool, int> runStatus, Func<GenhashRequest, int> runGenhash)
    {
        var root = new RootCommand("Vigil: a keepalived-compatible VRRP and load-balancing daemon");
        // The built-in --version has no -v alias; keepalived's has, so ours replaces it.
        foreach (var builtIn in root.Options.OfType<VersionOption>().ToList())
        {
            root.Options.Remove(builtIn);
        }
        Option[] daemonOptions =
        [
            UseFile, Vrrp, Check, LogConsole, LogDetail, LogFacility, LogFile, NoSyslog, DontFork, DumpConf,
            Pid, VrrpPid, CheckersPid, ConfigTest, ConfigId, Namespace, ReleaseVips, DontReleaseVrrp,
            DontReleaseIpvs, DontRespawn, Signum, Version, ControlSocket, Metrics, DataPlane,
        ];
        foreach (var option in daemonOptions)
        {
            root.Options.Add(option);
        }
        root.SetAction(parse =>
        {
            if (parse.GetValue(Version))
            {
                parse.InvocationConfiguration.Output.WriteLine(VersionText);
                return ExitCodes.Ok;
            }
            return runDaemon(ToDaemonOptions(parse));
        });

        var statusSocket = new Option<string?>("--control-socket") { Description = "Unix socket of the running daemon", HelpName = "PATH" };
        var statusJson = new Option<bool>("--json") { Description = "Print the status as JSON" };
        var status = new Command("status", "Show the state of the running daemon (vigil only)") { statusSocket, statusJson };
        status.SetAction(parse => runStatus(parse.GetValue(statusSocket), parse.GetValue(statusJson)));
        root.Subcommands.Add(status);

        root.Subcommands.Add(Genhash.Build(runGenhash));
        return root;
    }

    public static string VersionText =>
        $"Vigil v{typeof(CommandLine).Assembly.GetName().Version?.ToString(3)} (keepalived 2.2.7 compatible)";

    internal static DaemonOptions ToDaemonOptions(ParseResult parse) => new()
    {
        ConfigFile = parse.GetValue(UseFile) ?? DaemonOptions.DefaultConfigFile,
        VrrpOnly = parse.GetValue(Vrrp),
        CheckOnly = parse.GetValue(Check),
        LogConsole = parse.GetValue(LogConsole),
        LogDetail = parse.GetValue(LogDetail),
        LogFacility = parse.GetValue(LogFacility),
        LogFile = WasGiven(parse, LogFile) ? parse.GetValue(LogFile) ?? string.Empty : null,
        NoSyslog = parse.GetValue(NoSyslog),
        DontFork = parse.GetValue(DontFork),
        DumpConfig = parse.GetValue(DumpConf),
        PidFile = parse.GetValue(Pid),
        VrrpPidFile = parse.GetValue(VrrpPid),
        CheckersPidFile = parse.GetValue(CheckersPid),
        ConfigTest = WasGiven(parse, ConfigTest) ? parse.GetValue(ConfigTest) ?? string.Empty : null,
        ConfigId = parse.GetValue(ConfigId),
        Namespace = parse.GetValue(Namespace),
        ReleaseVips = parse.GetValue(ReleaseVips),
        DontReleaseVrrp = parse.GetValue(DontReleaseVrrp),
        DontReleaseIpvs = parse.GetValue(DontReleaseIpvs),
        DontRespawn = parse.GetValue(DontRespawn),
        Signal = parse.GetValue(Signum),
        ControlSocket = parse.GetValue(ControlSocket),
        MetricsEndpoint = parse.GetValue(Metrics),
        DataPlane = parse.GetValue(DataPlane),
    };

    private static bool WasGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
