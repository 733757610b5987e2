using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Testing;

/// <summary>
/// Removes what dead runs left behind: namespaces and lab directories named prefix + PID + "x" + N
/// whose PID no longer exists. Live runs (other test processes, other engineers) are left alone.
/// </summary>
internal static class Sweeper
{
    public static void Sweep(string prefix, string baseDirectory, LabLog log)
    {
        var pattern = new Regex($"^{Regex.Escape(prefix)}(\\d+)x\\d+(-|$)", RegexOptions.CultureInvariant);
        var self = Environment.ProcessId;
        bool IsDead(string name, out int pid)
        {
            var m = pattern.Match(name);
            pid = m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
            return pid > 1 && pid != self && !Native.Exists(pid);
        }

        if (Shell.RunSync("ip", ["netns", "list"], TimeSpan.FromSeconds(10), out var list) == 0)
        {
            // Hosts before switches, so veth pairs vanish with their host ends.
            var names = list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ')[0])
                .OrderBy(n => n.EndsWith("-sw", StringComparison.Ordinal) ? 1 : 0);
            foreach (var name in names)
            {
                if (IsDead(name, out var pid))
                {
                    log.Write($"sweeper: namespace {name} belongs to dead run {pid}: deleting");
                    DeleteNamespace(name, log);
                }
            }
        }
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(baseDirectory, prefix + "*"))
            {
                if (IsDead(Path.GetFileName(dir), out var pid))
                {
                    log.Write($"sweeper: directory {dir} belongs to dead run {pid}: deleting");
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
        catch (IOException e)
        {
            log.Write($"sweeper: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            log.Write($"sweeper: {e.Message}");
        }
    }

    /// <summary>SIGKILL whatever still runs inside the namespace (only our runs put processes there), then delete it.</summary>
    public static void DeleteNamespace(string ns, LabLog log)
    {
        for (var round = 0; round < 3; round++)
        {
            if (Shell.RunSync("ip", ["netns", "pids", ns], TimeSpan.FromSeconds(10), out var pids) != 0)
            {
                break;
            }
            var live = pids.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Where(p => p > 1 && p != Environment.ProcessId)
                .ToList();
            if (live.Count == 0)
            {
                break;
            }
            foreach (var pid in live)
            {
                log.Write($"kill -9 {pid}   (still inside {ns})");
                Native.Kill(pid, Native.SIGKILL);
            }
            // Bounded: give the kernel a moment to reap before looking again.
            Thread.Sleep(100);
        }
        var rc = Shell.RunSync("ip", ["netns", "del", ns], TimeSpan.FromSeconds(10), out _);
        log.Write(rc == 0 ? $"$ ip netns del {ns}" : $"$ ip netns del {ns}  -> exit {rc}");
    }
}
