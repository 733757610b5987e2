using System.Diagnostics;

namespace Vigil.Lab.Tests;

/// <summary>Run as non-root, lab tests fail with the reason instead of skipping silently.</summary>
public sealed class RootRequirementTests
{
    [Fact]
    public async Task CreateAsync_NotRoot_TestFailsWithClearMessage()
    {
        // This assembly again, as user nobody, running one lab test. From a copy in the temp dir, because
        // the checkout may live where nobody cannot read (a clone under /root).
        var copy = Path.Combine(Path.GetTempPath(), $"vigil-lab-nonroot-{Environment.ProcessId}-{Guid.NewGuid():N}");
        CopyReadable(AppContext.BaseDirectory, copy);
        try
        {
            await RunAsNobodyAsync(copy);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static async Task RunAsNobodyAsync(string directory)
    {
        var psi = new ProcessStartInfo("setpriv")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--reuid", "65534", "--regid", "65534", "--clear-groups", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp",
            Path.Combine(directory, "Vigil.Lab.Tests"), "-noColor", "-method",
            $"{typeof(HarnessTests).FullName}.{nameof(HarnessTests.AddHost_TwoHosts_ReachEachOtherOverIpv4AndIpv6)}" })
        {
            psi.ArgumentList.Add(arg);
        }
        using var child = Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await child.WaitForExitAsync(cts.Token);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
        var output = await stdout + await stderr;

        Assert.Contains("LabRequirementException", output, StringComparison.Ordinal);
        Assert.Contains("the lab needs root", output, StringComparison.Ordinal);
        Assert.Contains("Failed: 1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Skipped: 1", output, StringComparison.Ordinal);
    }

    private static void CopyReadable(string from, string to)
    {
        const UnixFileMode Dir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(to);
        File.SetUnixFileMode(to, Dir);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, dir));
            Directory.CreateDirectory(target);
            File.SetUnixFileMode(target, Dir);
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, Dir);
        }
    }
}
