using System.Text.Json;
using Vigil.Testing;

namespace Vigil.Lab.Tests.Balancing;

/// <summary>
/// The daemon end to end on this kernel (no IPVS): a virtual_server with TCP_CHECKs against two real nginx
/// servers is programmed into nftables, and a backend that stops answering leaves the data plane.
/// </summary>
public sealed class VirtualServerDaemonTests
{
    private static string Config(LabHost r1, LabHost r2) => $$"""
        global_defs {
            router_id lb
        }

        virtual_server {{Testing.Lab.Vip4}} 80 {
            delay_loop 1
            lb_algo rr
            lb_kind NAT
            protocol TCP

            real_server {{r1.Ipv4}} 80 {
                TCP_CHECK {
                    connect_timeout 1
                    retry 1
                    delay_before_retry 1
                }
            }
            real_server {{r2.Ipv4}} 80 {
                TCP_CHECK {
                    connect_timeout 1
                    retry 1
                    delay_before_retry 1
                }
            }
        }
        """;

    private static async Task<string> RulesetAsync(LabHost host) =>
        (await host.ExecAsync("nft", ["list", "ruleset"], check: false)).Stdout;

    [Fact]
    public async Task VirtualServer_IsProgrammedIntoNftables_AndAStoppedBackendLeavesIt()
    {
        await using var lab = await LabFactory.CreateAsync();
        var lb = await lab.AddHostAsync("lb");
        var r1 = await lab.AddHostAsync("r1");
        var r2 = await lab.AddHostAsync("r2");
        lab.StartNginx(r1);
        var nginx2 = lab.StartNginx(r2);
        await r1.WaitForTcpListenAsync(80, TimeSpan.FromSeconds(10));
        await r2.WaitForTcpListenAsync(80, TimeSpan.FromSeconds(10));

        var vigil = lab.StartVigil(lb, Config(r1, r2), ["--dataplane", "nftables"]);

        // Both real servers start alive (no alpha): both are in the ruleset once vigil is up.
        await Poll.UntilAsync(async () => await RulesetAsync(lb) is var rules && rules.Contains($"{r1.Ipv4}", StringComparison.Ordinal) && rules.Contains($"{r2.Ipv4}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "both real servers in the nftables ruleset", lab.DiagnosticsAsync);

        await nginx2.StopAsync();

        // Down after one failed check plus retry x delay_before_retry: delay_loop 1 + connect_timeout 1 + 1 x 1 s, plus margin.
        await Poll.UntilAsync(async () => !(await RulesetAsync(lb)).Contains($"{r2.Ipv4}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(3 + 6), "r2 to leave the ruleset", lab.DiagnosticsAsync);
        Assert.Contains($"{r1.Ipv4}", await RulesetAsync(lb), StringComparison.Ordinal);

        var status = await vigil.StatusAsync(json: true);
        using var json = JsonDocument.Parse(status.Stdout);
        var servers = json.RootElement.GetProperty("virtual_servers")[0].GetProperty("real_servers").EnumerateArray()
            .ToDictionary(r => r.GetProperty("address").GetString()!, r => r.GetProperty("alive").GetBoolean());
        Assert.True(servers[r1.Ipv4!.ToString()]);
        Assert.False(servers[r2.Ipv4!.ToString()]);

        // Stop without -I removes what vigil programmed.
        await vigil.StopAsync();
        Assert.DoesNotContain($"{r1.Ipv4}", await RulesetAsync(lb), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindIf_LoopbackCannotReachTheBackend_ThatServerIsDown_AndVigilDataplaneKeywordChoosesTheBackend()
    {
        await using var lab = await LabFactory.CreateAsync();
        var lb = await lab.AddHostAsync("lb");
        var r1 = await lab.AddHostAsync("r1");
        var r2 = await lab.AddHostAsync("r2");
        lab.StartNginx(r1);
        lab.StartNginx(r2);
        await r1.WaitForTcpListenAsync(80, TimeSpan.FromSeconds(10));
        await r2.WaitForTcpListenAsync(80, TimeSpan.FromSeconds(10));

        // r2's TCP_CHECK is bound to lo (SO_BINDTODEVICE): 10.77.0.x is not reachable from there, so r2 is down
        // although nginx answers; r1's check, not bound, keeps r1 up. The data plane comes from the config
        // keyword alone (no --dataplane flag).
        var config = Config(r1, r2)
            .Replace("    router_id lb\n", "    router_id lb\n    vigil_dataplane nftables\n", StringComparison.Ordinal);
        var r2Block = config.IndexOf($"real_server {r2.Ipv4} 80", StringComparison.Ordinal);
        config = config[..r2Block] + config[r2Block..].Replace("connect_timeout 1\n", "connect_timeout 1\n                bind_if lo\n", StringComparison.Ordinal);
        Assert.Contains("bind_if lo", config, StringComparison.Ordinal);
        var vigil = lab.StartVigil(lb, config);

        await vigil.WaitForOutputAsync("on nftables", TimeSpan.FromSeconds(15));
        // Down within delay_loop 1 + connect_timeout 1 + retry 1 x delay_before_retry 1, plus margin.
        await Poll.UntilAsync(async () => !(await RulesetAsync(lb)).Contains($"{r2.Ipv4}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(3 + 6), "r2 (checked through lo) to leave the ruleset", lab.DiagnosticsAsync);
        Assert.Contains($"{r1.Ipv4}", await RulesetAsync(lb), StringComparison.Ordinal);
        Assert.True(await r2.CanConnectTcpAsync(r2.Ipv4!.ToString(), 80), "nginx on r2 answers: only the bound check fails");
    }

    [Fact]
    public async Task VigilDataplaneIpvs_OnAKernelWithoutIpvs_IsAClearLogLine()
    {
        await using var lab = await LabFactory.CreateAsync();
        var lb = await lab.AddHostAsync("lb");
        var r1 = await lab.AddHostAsync("r1");
        var config = Config(r1, lb).Replace("    router_id lb\n", "    router_id lb\n    vigil_dataplane ipvs\n", StringComparison.Ordinal);
        var vigil = lab.StartVigil(lb, config);
        await vigil.WaitForOutputAsync("vigil_dataplane ipvs: the kernel has no IPVS", TimeSpan.FromSeconds(15));
        Assert.DoesNotContain("on nftables", vigil.ReadOutput(), StringComparison.Ordinal);
        Assert.False(vigil.HasExited);
    }

    [Fact]
    public async Task SorryServer_AnswersThroughTheVip_WhenTheOnlyRealServerIsDown_AndStepsBackWhenItReturns()
    {
        await using var lab = await LabFactory.CreateAsync();
        var lb = await lab.AddHostAsync("lb");
        var r1 = await lab.AddHostAsync("r1");
        var sorry = await lab.AddHostAsync("sorry");
        var nginx1 = lab.StartNginx(r1, body: "r1\n");
        lab.StartNginx(sorry, body: "sorry\n");
        await r1.WaitForTcpListenAsync(80, TimeSpan.FromSeconds(10));
        await sorry.WaitForTcpListenAsync(80, TimeSpan.FromSeconds(10));
        var config = $$"""
            global_defs {
                router_id lb
            }

            virtual_server {{Testing.Lab.Vip4}} 80 {
                delay_loop 1
                lb_algo rr
                lb_kind NAT
                protocol TCP
                sorry_server {{sorry.Ipv4}} 80

                real_server {{r1.Ipv4}} 80 {
                    TCP_CHECK {
                        connect_timeout 1
                        retry 1
                        delay_before_retry 1
                    }
                }
            }
            """;
        lab.StartVigil(lb, config, ["--dataplane", "nftables"]);

        // Traffic from lb itself goes through the table's output hook to the VIP.
        async Task<string> AskAsync() =>
            (await lb.ExecAsync("curl", ["-s", "--max-time", "2", $"http://{Testing.Lab.Vip4}/"], check: false)).Stdout.Trim();
        await Poll.UntilAsync(async () => await AskAsync() == "r1", TimeSpan.FromSeconds(15), "r1 to answer through the VIP", lab.DiagnosticsAsync);

        await nginx1.StopAsync();
        // Down within delay_loop 1 + connect_timeout 1 + retry 1 x delay_before_retry 1, plus margin.
        await Poll.UntilAsync(async () => await AskAsync() == "sorry", TimeSpan.FromSeconds(3 + 6), "the sorry server to answer", lab.DiagnosticsAsync);

        lab.StartNginx(r1, body: "r1\n");
        // Up after one successful check: delay_loop 1 + connect_timeout 1, plus margin.
        await Poll.UntilAsync(async () => await AskAsync() == "r1", TimeSpan.FromSeconds(2 + 6), "r1 to answer again", lab.DiagnosticsAsync);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("r1", await AskAsync());
        }
    }
}
