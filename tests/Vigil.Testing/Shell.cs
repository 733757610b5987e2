using System.Diagnostics;
using System.Text;

namespace Vigil.Testing;

/// <summary>Runs short commands to completion with a timeout, logging each one.</summary>
internal static class Shell
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@+%".Contains(c))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Join(string file, IEnumerable<string> args) =>
        string.Join(' ', args.Prepend(file).Select(Quote));

    public static async Task<CommandResult> RunAsync(
        LabLog? log, string file, IReadOnlyList<string> args, TimeSpan? timeout = null,
        bool check = true, CancellationToken cancellationToken = default)
    {
        var commandLine = Join(file, args);
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new LabCommandException($"could not start {commandLine}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            log?.Write($"$ {commandLine}  -> TIMED OUT after {watch.ElapsedMilliseconds} ms, killed");
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            throw new TimeoutException($"command timed out after {(timeout ?? DefaultTimeout).TotalSeconds} s: {commandLine}");
        }
        var result = new CommandResult(commandLine, process.ExitCode, await stdout, await stderr, watch.Elapsed);
        log?.Write(result.Succeeded
            ? $"$ {commandLine}  ({result.Elapsed.TotalMilliseconds:F0} ms)"
            : $"$ {commandLine}  -> exit {result.ExitCode}: {Trim(result.Stderr + result.Stdout)}");
        return check ? result.EnsureSuccess() : result;
    }

    /// <summary>Synchronous variant for exit hooks, where the thread pool may no longer be trusted.</summary>
    public static int RunSync(string file, IReadOnlyList<string> args, TimeSpan timeout, out string stdout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi);
        if (process is null)
        {
            stdout = "";
            return -1;
        }
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            stdout = "";
            return -1;
        }
        process.WaitForExit();
        lock (output)
        {
            stdout = output.ToString();
        }
        return process.ExitCode;
    }

    private static string Trim(string text)
    {
        text = text.Trim();
        return text.Length <= 2000 ? text : text[..2000] + " ...";
    }
}
