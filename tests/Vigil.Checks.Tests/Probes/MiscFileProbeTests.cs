using System.Diagnostics;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;

namespace Vigil.Checks.Tests.Probes;

public sealed class MiscProbeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-misc-").FullName;
    private readonly ProcessScriptRunner _runner = new(maxConcurrent: 4, killGrace: TimeSpan.FromMilliseconds(500));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _runner.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Script(string body)
    {
        var path = Path.Combine(_dir, $"s{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private Task<CheckResult> Run(string path, bool dynamic = false, TimeSpan? timeout = null) =>
        new MiscProbe(new MiscCheckOptions(path, timeout, dynamic), TimeSpan.FromSeconds(5), _runner).RunAsync(Ct);

    [Theory]
    [InlineData(0, false, true, null)]
    [InlineData(1, false, false, null)]
    [InlineData(5, false, false, null)]
    [InlineData(1, true, false, null)]
    [InlineData(12, true, true, 10)]
    [InlineData(2, true, true, 0)]
    [InlineData(255, true, true, 253)]
    public async Task RunAsync_ExitCode_MapsAsKeepalived(int code, bool dynamic, bool pass, int? weight)
    {
        var result = await Run(Script($"exit {code}"), dynamic);
        Assert.Equal(pass, result.Success);
        Assert.Equal(weight, result.DynamicWeight);
    }

    [Fact]
    public async Task RunAsync_Arguments_ArePassedWithoutShell()
    {
        var output = Path.Combine(_dir, "args");
        var script = Script($"printf '%s|' \"$@\" > {output}");
        var result = await Run($"{script} one 'two words' \"three\"");
        Assert.True(result.Success, result.Reason);
        Assert.Equal("one|two words|three|", File.ReadAllText(output));
    }

    [Fact]
    public async Task RunAsync_ShellLine_RunsThroughSh()
    {
        var result = await Run("test 1 -eq 1 && exit 0 || exit 1");
        Assert.True(result.Success, result.Reason);
        Assert.False((await Run("test 1 -eq 2 && exit 0 || exit 1")).Success);
    }

    [Fact]
    public async Task RunAsync_Timeout_TermThenFails()
    {
        var marker = Path.Combine(_dir, "termed");
        var script = Script($"trap 'echo term > {marker}; exit 0' TERM\nsleep 30 &\nwait");
        var sw = Stopwatch.StartNew();
        var result = await Run(script, timeout: TimeSpan.FromMilliseconds(300));
        Assert.False(result.Success);
        Assert.Contains("timeout", result.Reason, StringComparison.Ordinal);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4), sw.Elapsed.ToString());
        Assert.True(File.Exists(marker), "the script should have received SIGTERM");
    }

    [Fact]
    public async Task RunAsync_IgnoresTerm_IsKilled()
    {
        var script = Script("trap '' TERM\nwhile true; do sleep 0.05; done");
        var sw = Stopwatch.StartNew();
        var result = await Run(script, timeout: TimeSpan.FromMilliseconds(200));
        Assert.False(result.Success);
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RunAsync_Missing_FailsWithReason()
    {
        var result = await Run(Path.Combine(_dir, "nope"));
        Assert.False(result.Success);
        Assert.Contains("cannot start", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ManyAtOnce_RespectsConcurrencyLimit()
    {
        var script = Script("sleep 0.3");
        var max = 0;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                max = Math.Max(max, _runner.Running);
                await Task.Delay(5);
            }
        }, Ct);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Run(script)));
        await stop.CancelAsync();
        await watcher;
        Assert.All(results, r => Assert.True(r.Success, r.Reason));
        Assert.InRange(max, 1, 4);
    }

    [Theory]
    [InlineData("/bin/check", new[] { "/bin/check" })]
    [InlineData("  /bin/check  a   b ", new[] { "/bin/check", "a", "b" })]
    [InlineData("/bin/check 'a b' \"c d\" e\\ f", new[] { "/bin/check", "a b", "c d", "e f" })]
    [InlineData("/bin/check $HOME", new[] { "/bin/sh", "-c", "/bin/check $HOME" })]
    [InlineData("/bin/check '$HOME'", new[] { "/bin/check", "$HOME" })]
    [InlineData("a | b", new[] { "/bin/sh", "-c", "a | b" })]
    [InlineData("a > /dev/null", new[] { "/bin/sh", "-c", "a > /dev/null" })]
    public void CommandLine_Split_ArgvOrShell(string line, string[] argv) => Assert.Equal(argv, CommandLine.Split(line));
}

public sealed class FileProbeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("0\n", 0, false, false, true, null)]
    [InlineData("3\n", 0, false, false, false, null)]
    [InlineData("3\n", 2, false, true, true, 6L)]
    [InlineData("3\n", 2, true, true, true, -6L)]
    [InlineData("-4 trailing", 5, false, true, true, -20L)]
    [InlineData("7", 5, false, false, true, null)]
    [InlineData("junk", 0, false, false, true, null)]
    public async Task RunAsync_Value_ScaledByWeightAsKeepalived(string content, long weight, bool reverse, bool dynamic, bool pass, long? adjustment)
    {
        var path = Path.Combine(_dir, "track");
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
        var result = await new FileProbe(new(path, weight, reverse, dynamic)).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(pass, result.Success);
        Assert.Equal(adjustment, result.WeightAdjustment);
    }

    [Fact]
    public async Task RunAsync_MissingFile_ReadsAsZero()
    {
        var result = await new FileProbe(new(Path.Combine(_dir, "absent"), 0)).RunAsync(TestContext.Current.CancellationToken);
        Assert.True(result.Success);
    }
}

public sealed class ScriptUserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-user-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_User_RunsScriptAsThatUser()
    {
        if (Environment.UserName != "root" || Fakes.ExternalTool.Find("runuser") is null) Assert.Skip("needs root and runuser");
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1FF); // 0777: the script user writes its uid here
        var output = Path.Combine(_dir, "uid");
        using var runner = new ProcessScriptRunner();
        var result = await runner.RunAsync(new ScriptRequest(["/bin/sh", "-c", $"id -u > {output}"], TimeSpan.FromSeconds(10), User: "nobody"), TestContext.Current.CancellationToken);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("65534", (await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken)).Trim());
    }
}
