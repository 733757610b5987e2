using System.Globalization;

namespace Vigil.Testing;

/// <summary>Reads parent links from /proc to find a process's descendants (a daemon's forked children).</summary>
internal static class ProcessTree
{
    /// <summary>All live descendants of <paramref name="root"/>, children before grandchildren.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            var ppid = ParentOf(pid);
            if (ppid is int p)
            {
                if (!children.TryGetValue(p, out var list))
                {
                    children[p] = list = [];
                }
                list.Add(pid);
            }
        }
        var result = new List<int>();
        var queue = new Queue<int>();
        queue.Enqueue(root);
        while (queue.Count > 0 && result.Count < 10_000)
        {
            if (children.TryGetValue(queue.Dequeue(), out var list))
            {
                foreach (var c in list)
                {
                    result.Add(c);
                    queue.Enqueue(c);
                }
            }
        }
        return result;
    }

    /// <summary>The parent PID from /proc/PID/stat, or null when the process is gone.</summary>
    public static int? ParentOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name is in parentheses and may itself contain spaces or ')': parse after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)
            ? ppid
            : null;
    }

    /// <summary>True when the process exists and is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close >= 0 && close + 2 < stat.Length && stat[close + 2] != 'Z' && stat[close + 2] != 'X';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
