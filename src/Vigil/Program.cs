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
        Console.Error.WriteLine("vigil: the daemon is not implemented yet (see README: feature status)");
        return ExitCodes.ConfigCannotRun;
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
        Console.Error.WriteLine("vigil genhash: not implemented yet");
        return ExitCodes.Failure;
    }
}
