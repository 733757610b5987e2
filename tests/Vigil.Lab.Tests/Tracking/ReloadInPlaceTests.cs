using Vigil.Testing;
using static Vigil.Lab.Tests.Tracking.TrackingConfigs;

namespace Vigil.Lab.Tests.Tracking;

/// <summary>
/// Reload keeps a changed instance's state (keepalived compat, issue #8 item 3): a MASTER whose priority and VIPs
/// change stays MASTER without a VIP gap or a priority-0 advert, and a tracker with an unchanged definition keeps
/// its result across the reload.
/// </summary>
public sealed class ReloadInPlaceTests
{
    private const string Vip1 = "10.77.0.100";
    private const string Vip2 = "10.77.0.101";

    private static string TwoVips(string id, int priority) =>
        Global(id) + Instance("VI_1", 51, priority, Vip1).Replace($"        {Vip1}/24\n", $"        {Vip1}/24\n        {Vip2}/24\n", StringComparison.Ordinal);

    [Fact]
    public async Task Reload_MasterPriorityChangedAndVipAdded_StaysMasterWithoutGapOrPriorityZero()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var vigil = lab.StartVigil(a, Global("a") + Instance("VI_1", 51, 150, Vip1));
        lab.StartVigil(b, Global("b") + Instance("VI_1", 51, 100, Vip1));
        await lab.WaitForSoleHolderAsync(Vip1, a, Election(100) + TimeSpan.FromSeconds(2), a, b);
        var monitor = await a.StartAddressMonitorAsync();
        var capture = await lab.StartCaptureAsync("ip proto 112");
        await capture.WaitForPacketsAsync($"ip.src == {a.Ipv4} && vrrp.prio == 150", 1, TimeSpan.FromSeconds(5));

        vigil.RewriteConfig(TwoVips("a", 160));
        Assert.True(vigil.Reload());
        await vigil.WaitForOutputAsync("Reload done: 1 instances kept (1 changed in place), 0 added, 0 removed, 0 restarted", TimeSpan.FromSeconds(10));
        await a.WaitForAddressAsync(Vip2, TimeSpan.FromSeconds(2));
        await capture.WaitForPacketsAsync($"ip.src == {a.Ipv4} && vrrp.prio == 160 && vrrp.addr_count == 2", 2, TimeSpan.FromSeconds(5));
        await lab.SoleHolderHoldsForAsync(Vip1, a, TimeSpan.FromSeconds(4), a, b);
        await capture.StopAsync();

        Assert.Equal(0, await capture.CountAsync("vrrp.prio == 0"));
        Assert.DoesNotContain(monitor.Events(), e => !e.Added && e.Address.ToString() == Vip1);
        var afterReload = vigil.ReadOutput().Split("Reloading")[^1];
        Assert.Contains("(VI_1) configuration changed, applied in place; staying in MASTER state", afterReload, StringComparison.Ordinal);
        Assert.DoesNotContain("Entering BACKUP STATE", afterReload, StringComparison.Ordinal);

        // And the VIP dropped by the next reload goes, while VI_1 stays MASTER.
        vigil.RewriteConfig(Global("a") + Instance("VI_1", 51, 160, Vip1));
        Assert.True(vigil.Reload());
        await a.WaitForAddressAbsentAsync(Vip2, TimeSpan.FromSeconds(10));
        Assert.True(await a.HasAddressAsync(Vip1));
    }

    [Fact]
    public async Task Reload_TrackScriptUnchangedAndDown_KeepsItsResult_NoPreemptionFlap()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var flag = lab.NewPath("up", "flag");
        await File.WriteAllTextAsync(flag, "", TestContext.Current.CancellationToken);
        // fall 5: a restarted tracker would count up for 5 s, longer than a's master down interval (3.4 s) at 150.
        var config = Global("a") + Script("chk", $"test -e {flag}", -60, "    fall 5\n    rise 1\n")
            + Instance("VI_1", 51, 150, Vip1, "    track_script {\n        chk\n    }\n");
        var vigil = lab.StartVigil(a, config);
        lab.StartVigil(b, Global("b") + Instance("VI_1", 51, 100, Vip1));
        await lab.WaitForSoleHolderAsync(Vip1, a, Election(100) + TimeSpan.FromSeconds(2), a, b);

        File.Delete(flag);
        await lab.WaitForSoleHolderAsync(Vip1, b, TimeSpan.FromSeconds(6) + Election(100), a, b);

        Assert.True(vigil.Reload());
        await vigil.WaitForOutputAsync("Reload done: 1 instances kept", TimeSpan.FromSeconds(10));
        // Without the carried result, a would be 150 again until 5 failures, and preempt b after 3.4 s.
        await lab.SoleHolderHoldsForAsync(Vip1, b, TimeSpan.FromSeconds(7), a, b);
        Assert.DoesNotContain("effective priority changed from 90 to 150", vigil.ReadOutput(), StringComparison.Ordinal);
    }
}
