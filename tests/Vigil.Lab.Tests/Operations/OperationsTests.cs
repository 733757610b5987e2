using System.Text.Json;
using Vigil.Lab.Tests.Vrrp;
using Vigil.Testing;

namespace Vigil.Lab.Tests.Operations;

/// <summary>Signals, reload, dumps and status of a running vigil, as an operator drives keepalived.</summary>
public sealed class OperationsTests
{
    private const string Vip = Testing.Lab.Vip4;
    private const string Vip2 = "10.77.0.101";

    private static string WithDumpFiles(string config, string jsonPath, string statsPath) =>
        config.Replace("global_defs {\n", $"global_defs {{\n    json_dump_file {jsonPath}\n    stats_dump_file {statsPath}\n", StringComparison.Ordinal);

    [Fact]
    public async Task Reload_UnchangedConfig_KeepsMasterAndVipWithoutAGap()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var high = new VrrpInstanceSpec { Priority = 150 };
        var vigil = lab.StartVigil(a, high.ToConfig("a"));
        lab.StartVigil(b, (high with { Priority = 100 }).ToConfig("b"));
        await lab.WaitForSoleHolderAsync(Vip, a, Bounds.Election(high), a, b);

        Assert.True(vigil.Reload());
        await vigil.WaitForOutputAsync("Reload done: 1 instances kept (0 changed in place)", TimeSpan.FromSeconds(10));

        // A gap would show as the VIP missing on a, or b taking it, at any poll within three adverts.
        await lab.SoleHolderHoldsForAsync(Vip, a, Bounds.Stable(high), a, b);
        Assert.DoesNotContain("Entering BACKUP STATE", vigil.ReadOutput().Split("Reloading")[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_BrokenConfig_IsReported_AndTheRunningConfigStays()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var spec = new VrrpInstanceSpec { Priority = 150 };
        var vigil = lab.StartVigil(a, spec.ToConfig("a"));
        await Poll.UntilAsync(() => a.HasAddressAsync(Vip), Bounds.Election(spec), "vigil to become master", lab.DiagnosticsAsync);

        vigil.RewriteConfig(spec.ToConfig("a").Replace("virtual_router_id 51", "virtual_router_id 300", StringComparison.Ordinal));
        Assert.True(vigil.Reload());

        await vigil.WaitForOutputAsync("the running configuration stays", TimeSpan.FromSeconds(10));
        Assert.False(vigil.HasExited);
        Assert.True(await a.HasAddressAsync(Vip));
    }

    [Fact]
    public async Task Reload_AddedAndRemovedInstances_StartAndReleaseTheirVips()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var first = new VrrpInstanceSpec { Priority = 150 };
        var second = new VrrpInstanceSpec { Name = "VI_2", Vrid = 52, Priority = 150, Vips = [$"{Vip2}/24"] };
        var vigil = lab.StartVigil(a, first.ToConfig("a"));
        await Poll.UntilAsync(() => a.HasAddressAsync(Vip), Bounds.Election(first), "VI_1 master", lab.DiagnosticsAsync);

        // Add VI_2 and drop VI_1 in one reload.
        vigil.RewriteConfig(second.ToConfig("a"));
        Assert.True(vigil.Reload());

        await a.WaitForAddressAbsentAsync(Vip, TimeSpan.FromSeconds(5));
        await a.WaitForAddressAsync(Vip2, Bounds.Election(second));
    }

    [Fact]
    public async Task Signals_WriteKeepalivedJsonAndStatsDumps_AndStatusAnswers()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var spec = new VrrpInstanceSpec { Priority = 150 };
        var jsonPath = lab.NewPath("dump", "json");
        var statsPath = lab.NewPath("dump", "stats");
        var vigil = lab.StartVigil(a, WithDumpFiles(spec.ToConfig("a"), jsonPath, statsPath));
        await Poll.UntilAsync(() => a.HasAddressAsync(Vip), Bounds.Election(spec), "vigil to become master", lab.DiagnosticsAsync);

        Assert.True(vigil.Process.Signal(36)); // SIGRTMIN+2, keepalived's JSON
        Assert.True(vigil.Process.Signal(12)); // SIGUSR2, stats
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(jsonPath) && File.Exists(statsPath)), TimeSpan.FromSeconds(10), "dump files", lab.DiagnosticsAsync);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath, TestContext.Current.CancellationToken));
        var data = json.RootElement[0].GetProperty("data");
        Assert.Equal("VI_1", data.GetProperty("iname").GetString());
        Assert.Equal(2, data.GetProperty("state").GetInt32());
        Assert.True(json.RootElement[0].GetProperty("stats").GetProperty("advert_sent").GetInt64() > 0);
        Assert.Contains("VRRP Instance: VI_1", await File.ReadAllTextAsync(statsPath, TestContext.Current.CancellationToken));

        var status = await lab.RunAsync(LabDaemons.VigilBinary, ["status", "--json", "--control-socket", vigil.ControlSocket!]);
        using var statusJson = JsonDocument.Parse(status.Stdout);
        Assert.Equal("MASTER", statusJson.RootElement.GetProperty("vrrp")[0].GetProperty("state").GetString());
        Assert.Equal(150, statusJson.RootElement.GetProperty("vrrp")[0].GetProperty("effective_priority").GetInt32());
    }

    [Fact]
    public async Task SecondDaemon_WithTheSamePidFile_IsAClearError()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var spec = new VrrpInstanceSpec { Priority = 150 };
        var first = lab.StartVigil(a, spec.ToConfig("a"));
        await first.WaitForOutputAsync("Startup complete", TimeSpan.FromSeconds(15));

        var second = await a.ExecAsync(LabDaemons.VigilBinary, ["-n", "-l", "-f", first.ConfigPath, "-p", first.PidFile, "--control-socket", lab.NewPath("second", "sock")], check: false);

        Assert.Equal(2, second.ExitCode);
        Assert.Contains("another daemon", second.Stderr + second.Stdout, StringComparison.Ordinal);
        Assert.False(first.HasExited);
    }
}
