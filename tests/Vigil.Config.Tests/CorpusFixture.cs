using System.Diagnostics;

namespace Vigil.Config.Tests;

/// <summary>A network namespace with interfaces eth0..eth2 for running the real keepalived -t, removed on dispose.
/// The kernel here has no dummy driver, so the interfaces are bridges (any link type will do for -t).</summary>
public sealed class CorpusFixture : IDisposable
{
    public const string SampleDirectory = "/usr/share/doc/keepalived/samples";
    private static int s_counter;

    public CorpusFixture()
    {
        Namespace = $"vigcfg{Environment.ProcessId}x{Interlocked.Increment(ref s_counter)}";
        if (Environment.UserName != "root" && !IsRoot())
        {
            SkipReason = "the sample-corpus comparison needs root (ip netns add); run the tests as root";
            return;
        }
        Run("ip", $"netns add {Namespace}");
        Created = true;
        for (var i = 0; i < 3; i++)
        {
            Run("ip", $"-n {Namespace} link add eth{i} type bridge");
            Run("ip", $"-n {Namespace} link set eth{i} up");
        }
    }

    public string Namespace { get; }

    public string? SkipReason { get; }

    private bool Created { get; }

    public static IEnumerable<string> SampleFiles() =>
        Directory.Exists(SampleDirectory)
            ? Directory.EnumerateFiles(SampleDirectory, "keepalived.conf.*").Order(StringComparer.Ordinal)
            : [];

    /// <summary>Runs keepalived -t on a file inside the namespace; returns its exit code and stderr.</summary>
    public (int ExitCode, string Output) KeepalivedTest(string file)
    {
        var (code, output) = Run("ip", $"netns exec {Namespace} keepalived -t -l -n -f {file}", check: false);
        return (code, output);
    }

    private static bool IsRoot()
    {
        try
        {
            return File.ReadAllText("/proc/self/status").Split('\n').First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static (int, string) Run(string program, string arguments, bool check = true)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {arguments} did not finish in 30 s");
        }
        var output = stdout.Result + stderr.Result;
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {output}");
        }
        return (process.ExitCode, output);
    }

    public void Dispose()
    {
        if (Created)
        {
            Run("ip", $"netns del {Namespace}", check: false);
        }
    }
}

public class SampleCorpusTests(CorpusFixture fixture) : IClassFixture<CorpusFixture>
{
    [Theory]
    [MemberData(nameof(RoundTripTests.Samples), MemberType = typeof(RoundTripTests))]
    public void ConfigTest_OnEverySample_AgreesWithKeepalived(string name)
    {
        Assert.True(fixture.SkipReason is null, fixture.SkipReason);
        var path = Path.Combine(CorpusFixture.SampleDirectory, name);
        var (keepalivedCode, keepalivedOutput) = fixture.KeepalivedTest(path);
        var output = new StringWriter();
        var vigilCode = ConfigTest.Run(path, new ConfigLoadOptions { Interfaces = TestConfigs.Host, ConfigId = Environment.MachineName.Split('.')[0] }, output);
        TestContext.Current.SendDiagnosticMessage($"CORPUS {name} keepalived={keepalivedCode} vigil={vigilCode}");
        Assert.True(keepalivedCode == vigilCode,
            $"{name}: keepalived -t exit {keepalivedCode}, vigil {vigilCode}\nkeepalived:\n{keepalivedOutput}\nvigil:\n{output}");
    }

    [Fact]
    public void SampleCorpus_IsPresent()
    {
        Assert.True(CorpusFixture.SampleFiles().Count() >= 20, $"keepalived's samples are missing from {CorpusFixture.SampleDirectory} (apt install keepalived)");
    }
}
