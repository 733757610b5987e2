using System.Diagnostics;

namespace Vigil.Checks.Tests.Fakes;

/// <summary>Runs an installed tool (keepalived, nginx) that tests compare against.</summary>
internal static class ExternalTool
{
    public static string? Find(string name) =>
        new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>Runs to completion (bounded) and returns exit code and stdout.</summary>
    public static async Task<(int Code, string Stdout)> RunAsync(string path, IEnumerable<string> args, TimeSpan limit)
    {
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        return (p.ExitCode, await stdout);
    }
}
