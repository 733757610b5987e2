using System.CommandLine;
using Vigil.Cli;

namespace Vigil;

internal static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // keepalived compat: `keepalived -T ...` (or --genhash) runs genhash with the remaining arguments.
        if (args.Length > 0 && args[0] is "-T" or "--genhash")
        {
            args = ["genhash", .. args[1..]];
        }
        var root = CommandLine.Build(RunDaemon, RunStatus, RunGenhash);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"vigil: {error.Message}");
            }
            stderr.WriteLine("Try 'vigil --help' for more information.");
            return ExitCodes.InitFailure;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int RunDaemon(DaemonOptions options)
    {
        if (options.Signal is { } name)
        {
            // keepalived compat: --signum=NAME prints the signal number to send for that function.
            if (Hosting.DaemonSignals.NumberOf(name) is { } number)
            {
                Console.Out.WriteLine(number);
                return ExitCodes.Ok;
            }
            Console.Error.WriteLine($"vigil: unknown signal function '{name}' (STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON)");
            return ExitCodes.InitFailure;
        }
        if (options.ConfigTest is { } logFile)
        {
            return RunConfigTest(options, logFile);
        }
        if (!options.DontFork)
        {
            return Hosting.Detach.Relaunch(Environment.GetCommandLineArgs()[1..], Console.Error);
        }
        try
        {
            // keepalived compat: -s NAME runs the whole daemon in that network namespace. The main thread
            // enters it before any other thread exists, so every thread, socket and child process is there.
            if (options.Namespace is { } netns)
            {
                Linux.Namespaces.NetworkNamespace.EnterCurrentThread(netns);
                options = options with { Namespace = null };
            }
            return new Hosting.Daemon(options, TimeProvider.System, Console.Out).RunAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or Linux.KernelException or IOException or UnauthorizedAccessException)
        {
            // Start-up problems (pid file or socket in use, no permission): one clear line, keepalived's exit code.
            Console.Error.WriteLine($"vigil: {e.Message}");
            return ExitCodes.InitFailure;
        }
    }

    /// <summary>keepalived -t: diagnostics to stderr (or the -t=FILE log), interfaces checked against this host.</summary>
    private static int RunConfigTest(DaemonOptions options, string logFile)
    {
        using var ns = options.Namespace is { } name ? Linux.Namespaces.NetworkNamespace.Open(name) : null;
        using var rtnl = Linux.Netlink.Route.RouteNetlink.Open(ns);
        var loadOptions = Hosting.Daemon.ConfigOptions(options, new Hosting.NetlinkInterfaces(rtnl));
        var result = Config.ConfigLoader.Load(options.ConfigFile, loadOptions);
        using var writer = logFile.Length == 0 ? null : new StreamWriter(logFile, append: false);
        var diagnostics = writer ?? Console.Error;
        foreach (var diagnostic in result.Diagnostics)
        {
            diagnostics.WriteLine(diagnostic.ToString());
        }
        // -t -d: also print the effective configuration (includes, parameters and defaults applied).
        if (options.DumpConfig && result.Config is { } config)
        {
            Console.Out.Write(Config.ConfigDumper.Dump(config));
        }
        return Config.ConfigTest.ExitCodeOf(result);
    }

    private static int RunStatus(string? socket, bool json)
    {
        var path = socket ?? Status.ControlServer.DefaultPath;
        try
        {
            var reply = Status.ControlServer.QueryAsync(path, json ? "status json" : "status", TimeSpan.FromSeconds(5))
                .GetAwaiter().GetResult();
            Console.Out.Write(reply);
            return reply.StartsWith("error:", StringComparison.Ordinal) ? ExitCodes.Failure : ExitCodes.Ok;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            Console.Error.WriteLine($"vigil status: cannot reach the daemon at {path}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static int RunGenhash(GenhashRequest request)
    {
        if (!System.Net.IPAddress.TryParse(request.Server, out var server))
        {
            Console.Error.WriteLine($"vigil genhash: --server needs an IP address, not '{request.Server}'");
            return ExitCodes.InitFailure;
        }
        var protocol = request.Protocol switch
        {
            "1.1" => Checks.Options.HttpProtocol.Http11,
            "1.0c" or "1.0C" => Checks.Options.HttpProtocol.Http10Close,
            _ => Checks.Options.HttpProtocol.Http10,
        };
        var checksRequest = new Checks.Genhash.GenhashRequest(server, request.Port, request.Url, request.UseSsl, request.UseSni,
            request.VirtualHost, protocol, request.Timeout, request.Verbose, request.Fwmark is { } mark ? (uint)mark : null);
        return Checks.Genhash.Genhash.RunAsync(checksRequest, Console.Out).GetAwaiter().GetResult();
    }
}
