using System.Text.Json;

namespace Vigil.Testing;

/// <summary>
/// A tshark capture on a bridge, written to a pcapng file in the lab directory, read back with tshark
/// (display filters, fields, JSON). Reading is allowed while it runs (what was written so far) and after
/// <see cref="StopAsync"/> (everything).
/// </summary>
public sealed class LabCapture
{
    private readonly Lab _lab;

    internal LabCapture(Lab lab, LabProcess process, string path, string device)
    {
        _lab = lab;
        Process = process;
        Path = path;
        Device = device;
    }

    public LabProcess Process { get; }

    /// <summary>The pcapng file.</summary>
    public string Path { get; }

    public string Device { get; }

    internal async Task WaitUntilCapturingAsync(TimeSpan timeout)
    {
        await Poll.UntilAsync(
            () =>
            {
                if (Process.HasExited)
                {
                    throw new LabCommandException($"tshark exited with {Process.ExitCode} before capturing:\n{Process.ReadOutput()}");
                }
                return LabProcess.ReadShared(Process.StderrPath).Contains("Capturing on", StringComparison.Ordinal) && File.Exists(Path);
            },
            timeout, $"tshark to capture on {Device}", () => Task.FromResult(Process.Tail(20)));
    }

    /// <summary>Stops the capture (SIGINT lets tshark finish the file), bounded; idempotent.</summary>
    public async Task StopAsync()
    {
        if (Process.HasExited)
        {
            return;
        }
        Process.Signal(Native.SIGINT);
        if (!await Process.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            await Process.KillAsync();
        }
    }

    private Task<CommandResult> ReadAsync(string displayFilter, IEnumerable<string> extra)
    {
        var args = new List<string> { "-r", Path, "-n" };
        if (displayFilter.Length > 0)
        {
            args.AddRange(["-Y", displayFilter]);
        }
        args.AddRange(extra);
        // A capture still being written may end in a partial packet: tshark then complains but prints the rest.
        // Reads of a live capture are polls: not logged, or the log drowns in them.
        return Shell.RunAsync(Process.HasExited ? _lab.Log : null, "tshark", args, TimeSpan.FromSeconds(60), check: Process.HasExited);
    }

    /// <summary>
    /// One row per packet matching <paramref name="displayFilter"/>, one column per field
    /// (e.g. "ip.src", "ip.ttl", "vrrp.prio"); repeated fields are joined with ','.
    /// </summary>
    public async Task<IReadOnlyList<string[]>> ReadFieldsAsync(string displayFilter, params string[] fields)
    {
        var extra = new List<string> { "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=," };
        foreach (var f in fields)
        {
            extra.AddRange(["-e", f]);
        }
        var result = await ReadAsync(displayFilter, extra);
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .ToList();
    }

    /// <summary>The matching packets fully decoded, as tshark's JSON (an array of packets).</summary>
    public async Task<JsonDocument> ReadJsonAsync(string displayFilter = "")
    {
        var result = await ReadAsync(displayFilter, ["-T", "json"]);
        return JsonDocument.Parse(result.Stdout.Trim().Length == 0 ? "[]" : result.Stdout);
    }

    /// <summary>How many packets match the display filter.</summary>
    public async Task<int> CountAsync(string displayFilter = "") =>
        (await ReadFieldsAsync(displayFilter, "frame.number")).Count;

    /// <summary>tshark's one-line summaries of the matching packets (for diagnostics): the last <paramref name="maxLines"/>.</summary>
    public async Task<string> SummaryAsync(string displayFilter = "", int maxLines = 60)
    {
        var result = await ReadAsync(displayFilter, []);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var skipped = Math.Max(0, lines.Length - maxLines);
        return $"--- capture {Path} ({Device}{(displayFilter.Length > 0 ? ", " + displayFilter : "")}): {lines.Length} packets" +
            (skipped > 0 ? $", the last {maxLines}" : "") + "\n" + string.Join('\n', lines.Skip(skipped));
    }

    /// <summary>Polls until at least <paramref name="count"/> packets match the display filter.</summary>
    public Task<TimeSpan> WaitForPacketsAsync(string displayFilter, int count, TimeSpan timeout) =>
        Poll.UntilAsync(async () => await CountAsync(displayFilter) >= count, timeout,
            $"{count} packet(s) matching '{displayFilter}' on {Device}",
            _lab.DiagnosticsAsync,
            interval: TimeSpan.FromMilliseconds(250), log: _lab.Log);
}
