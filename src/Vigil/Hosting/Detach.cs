using System.Diagnostics;

namespace Vigil.Hosting;

/// <summary>
/// keepalived forks into the background unless -n. A .NET process cannot fork safely once threads run,
/// so vigil starts itself again with --dont-fork in a new session, detached from the terminal (stdio on
/// /dev/null), and the parent exits. Logging then goes to syslog or the -g file, as keepalived's does.
/// </summary>
internal static class Detach
{
    // sh only wires stdio and backgrounds; "$0" "$@" pass the arguments through without re-quoting.
    private const string Launcher = "setsid \"$0\" \"$@\" </dev/null >/dev/null 2>&1 &";

    public static int Relaunch(string[] args, TextWriter error)
    {
        var self = Environment.ProcessPath;
        if (self is null)
        {
            error.WriteLine("vigil: cannot find own executable to run in the background; use -n");
            return Cli.ExitCodes.InitFailure;
        }
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Launcher);
        start.ArgumentList.Add(self);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add("--dont-fork");
        using var launcher = Process.Start(start);
        if (launcher is null || !launcher.WaitForExit(TimeSpan.FromSeconds(10)) || launcher.ExitCode != 0)
        {
            error.WriteLine("vigil: could not start the background daemon");
            return Cli.ExitCodes.InitFailure;
        }
        return Cli.ExitCodes.Ok;
    }
}
