using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Vigil.Testing.Uml;

/// <summary>What one User-Mode Linux boot gets.</summary>
public sealed record UmlOptions
{
    /// <summary>The whole boot, from start to power-off; on overrun the UML is killed by PID.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(90);

    public int MemoryMegabytes { get; init; } = 512;

    /// <summary>Files written into the shared directory before the boot (configs): inside the UML they are /tmp/out/NAME.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>The prologue loads ip_vs; false leaves that to the body (to see a daemon load it).</summary>
    public bool LoadIpvs { get; init; } = true;

    /// <summary>Where progress goes (the test output).</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>The console and the files one boot left in the shared directory.</summary>
/// <param name="Completed">The body ran to its end (the epilogue wrote its marker) before the deadline.</param>
public sealed record UmlResult(string Console, IReadOnlyDictionary<string, string> Files, bool Completed, bool TimedOut, TimeSpan Elapsed)
{
    /// <summary>A file the body wrote to /tmp/out; throws with the console's tail when it is missing.</summary>
    public string File(string name) =>
        Files.TryGetValue(name, out var text) ? text : throw new UmlException($"the UML wrote no /tmp/out/{name}\n{Tail()}");

    /// <summary>The non-empty lines of a file, sorted ordinally (ipvsadm's order follows its hash tables).</summary>
    public IReadOnlyList<string> SortedLines(string name) =>
        [.. File(name).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];

    /// <summary>The last lines of the console and of every log the body wrote, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"UML completed={Completed} timedOut={TimedOut} after {Elapsed.TotalSeconds:F1} s; console tail:\n");
        foreach (var line in Console.Split('\n').TakeLast(lines)) b.Append("  ").Append(line.TrimEnd('\r')).Append('\n');
        foreach (var (name, text) in Files.Where(f => f.Key.EndsWith(".log", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            b.Append(CultureInfo.InvariantCulture, $"--- /tmp/out/{name} (tail)\n");
            foreach (var line in text.Split('\n').TakeLast(15)) b.Append("  ").Append(line).Append('\n');
        }
        return b.ToString();
    }
}

public sealed class UmlException : Exception
{
    public UmlException() { }

    public UmlException(string message) : base(message) { }

    public UmlException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Boots Debian's user-mode-linux kernel with the host's root as read-only hostfs, runs a shell body as
/// its init (after a fixed prologue: proc, sys, tmpfs on /tmp and /run, the shared directory on /tmp/out,
/// lo up, a dummy d0 with 10.77.0.10/24 and fd77::10/64, ip_vs loaded unless <see cref="UmlOptions.LoadIpvs"/> is false) and powers off. The body can
/// use the shell functions of <see cref="UmlScript"/>. Each boot has its own /var/tmp/vigil-uml-PID-N
/// directory, removed afterwards, also when the boot fails or overruns.
/// </summary>
public static class UmlMachine
{
    public const string Kernel = "/usr/bin/linux.uml";

    /// <summary>The shared directory as the body sees it.</summary>
    public const string Out = "/tmp/out";

    private const string DoneMarker = ".uml-done";
    private const string DirPrefix = "vigil-uml-";
    private static int s_counter;

    /// <summary>Why no UML can be booted here (no kernel, no modules for it), or null when one can.</summary>
    public static string? UnavailableReason()
    {
        if (!System.IO.File.Exists(Kernel)) return $"{Kernel} is missing: apt-get install user-mode-linux (scripts/test does)";
        var version = KernelVersion();
        if (version is null) return "no UML modules under /usr/lib/uml/modules";
        var modules = Path.Combine("/lib/modules", version);
        if (!Directory.Exists(Path.Combine(modules, "kernel", "net", "netfilter", "ipvs")))
            return $"{modules} does not reach the UML modules: ln -s /usr/lib/uml/modules/{version} {modules} (scripts/test does)";
        return null;
    }

    /// <summary>Boots one UML that runs <paramref name="body"/> and returns what it printed and wrote.</summary>
    public static async Task<UmlResult> RunAsync(string body, UmlOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        options ??= new UmlOptions();
        if (UnavailableReason() is { } why) throw new UmlException(why);
        SweepDeadRuns(options.Log);

        var dir = Path.Combine("/var/tmp", FormattableString.Invariant($"{DirPrefix}{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}"));
        var outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        try
        {
            foreach (var (name, text) in options.Files)
            {
                if (name.Contains('/', StringComparison.Ordinal) || name.StartsWith('.')) throw new ArgumentException($"file name {name}: no directories", nameof(options));
                await System.IO.File.WriteAllTextAsync(Path.Combine(outDir, name), text, cancellationToken).ConfigureAwait(false);
            }
            var init = Path.Combine(dir, "init.sh");
            await System.IO.File.WriteAllTextAsync(init, UmlScript.Prologue(outDir, options.LoadIpvs) + body.ReplaceLineEndings("\n") + "\n" + UmlScript.Epilogue(DoneMarker), cancellationToken).ConfigureAwait(false);
            System.IO.File.SetUnixFileMode(init, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

            var (console, timedOut, elapsed) = await BootAsync(init, options, cancellationToken).ConfigureAwait(false);
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var path in Directory.EnumerateFiles(outDir))
            {
                files[Path.GetFileName(path)] = await System.IO.File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            var completed = files.Remove(DoneMarker);
            foreach (var name in options.Files.Keys) files.Remove(name);
            var result = new UmlResult(console, files, completed && !timedOut, timedOut, elapsed);
            options.Log?.Invoke(FormattableString.Invariant($"[uml] boot done in {elapsed.TotalSeconds:F1} s, completed={result.Completed}, files: {string.Join(' ', files.Keys.Order(StringComparer.Ordinal))}"));
            return result;
        }
        finally
        {
            TryDelete(dir, options.Log);
        }
    }

    private static async Task<(string Console, bool TimedOut, TimeSpan Elapsed)> BootAsync(string init, UmlOptions options, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(Kernel)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     FormattableString.Invariant($"mem={options.MemoryMegabytes}M"), "rootfstype=hostfs", "rootflags=/", "ro",
                     $"init={init}", "con0=fd:0,fd:1", "con=null",
                 })
        {
            psi.ArgumentList.Add(arg);
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new UmlException($"could not start {Kernel}");
        options.Log?.Invoke($"[uml] pid {process.Id}: {Kernel} {string.Join(' ', psi.ArgumentList)}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var timedOut = false;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            cts.CancelAfter(options.Timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                KillTree(process.Id);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                options.Log?.Invoke(FormattableString.Invariant($"[uml] pid {process.Id} overran {options.Timeout.TotalSeconds:F0} s: killed"));
            }
        }
        // UML's helper processes die with it; make sure none is left (bounded).
        var console = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return (console, timedOut, watch.Elapsed);
    }

    private static void KillTree(int pid)
    {
        var descendants = ProcessTree.Descendants(pid);
        Native.Kill(pid, Native.SIGSTOP);
        foreach (var child in descendants) Native.Kill(child, Native.SIGKILL);
        Native.Kill(pid, Native.SIGKILL);
    }

    /// <summary>Removes the directories of earlier runs whose process is gone.</summary>
    private static void SweepDeadRuns(Action<string>? log)
    {
        foreach (var dir in Directory.EnumerateDirectories("/var/tmp", DirPrefix + "*"))
        {
            var rest = Path.GetFileName(dir)[DirPrefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != Environment.ProcessId && !Native.Exists(pid))
            {
                TryDelete(dir, log);
            }
        }
    }

    private static void TryDelete(string dir, Action<string>? log)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log?.Invoke($"[uml] could not remove {dir}: {e.Message}");
        }
    }

    private static string? KernelVersion()
    {
        const string root = "/usr/lib/uml/modules";
        return Directory.Exists(root) ? Directory.EnumerateDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).LastOrDefault() : null;
    }
}
