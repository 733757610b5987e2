using Vigil.Testing;
using static Vigil.Lab.Tests.Tracking.TrackingConfigs;

namespace Vigil.Lab.Tests.Tracking;

/// <summary>
/// vrrp_sync_group members move together as keepalived 2.2.7 moves them, run side by side with keepalived:
/// one member's FAULT takes both VIPs to the peer (both masters send priority 0) and recovery brings both back;
/// a peer that would win only ONE member's election is held in BACKUP, so neither VIP moves.
/// </summary>
public sealed class SyncGroupMoveTests
{
    private const string Vip1 = "10.77.0.100";
    private const string Vip2 = "10.77.0.101";

    private static string Group() => "vrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_2\n    }\n}\n\n";

    private static string Config(string id, int priority1, int priority2, string? trackFile = null) =>
        Global(id)
        + (trackFile is null ? "" : $"track_file tf {{\n    file {trackFile}\n    weight 0\n}}\n\n")
        + Group()
        + Instance("VI_1", 51, priority1, Vip1, trackFile is null ? "" : "    track_file {\n        tf\n    }\n")
        + Instance("VI_2", 52, priority2, Vip2);

    private static LabDaemon Start(Testing.Lab lab, LabHost host, string daemon, string config) =>
        daemon == "vigil" ? lab.StartVigil(host, config) : lab.StartKeepalived(host, config);

    [Theory]
    [InlineData("keepalived", "keepalived")]
    [InlineData("vigil", "vigil")]
    [InlineData("keepalived", "vigil")]
    [InlineData("vigil", "keepalived")]
    public async Task OneMemberFaults_BothVipsMoveWithPriorityZero_AndBothComeBack(string daemonA, string daemonB)
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var file = lab.NewPath("fault", "value");
        await File.WriteAllTextAsync(file, "0\n", TestContext.Current.CancellationToken);
        Start(lab, a, daemonA, Config("a", 100, 100, file));
        Start(lab, b, daemonB, Config("b", 90, 90));
        await lab.WaitForSoleHolderAsync(Vip1, a, Election(90) + TimeSpan.FromSeconds(2), a, b);
        await lab.WaitForSoleHolderAsync(Vip2, a, TimeSpan.FromSeconds(2), a, b);
        var capture = await lab.StartCaptureAsync("ip proto 112");

        // Only VI_1 tracks the file; weight 0: a non-zero value is a FAULT, which the group spreads to VI_2.
        await File.WriteAllTextAsync(file, "1\n", TestContext.Current.CancellationToken);
        // Polling of the file (keepalived uses inotify), then the priority-0 adverts: skew time (0.65 s) on b.
        var move = TimeSpan.FromSeconds(1) + Vrrp.Bounds.Margin;
        await lab.WaitForSoleHolderAsync(Vip1, b, move, a, b);
        await lab.WaitForSoleHolderAsync(Vip2, b, move, a, b);
        await capture.WaitForPacketsAsync($"ip.src == {a.Ipv4} && vrrp.prio == 0", 2, TimeSpan.FromSeconds(5));

        await File.WriteAllTextAsync(file, "0\n", TestContext.Current.CancellationToken);
        await lab.WaitForSoleHolderAsync(Vip1, a, TimeSpan.FromSeconds(1) + Election(100) + TimeSpan.FromSeconds(4), a, b);
        await lab.WaitForSoleHolderAsync(Vip2, a, TimeSpan.FromSeconds(2), a, b);
        await capture.StopAsync();

        var zeros = await capture.ReadFieldsAsync($"ip.src == {a.Ipv4} && vrrp.prio == 0", "vrrp.virt_rtr_id");
        Assert.Contains(zeros, r => r[0] == "51");
        Assert.Contains(zeros, r => r[0] == "52");
    }

    [Theory]
    [InlineData("keepalived")]
    [InlineData("vigil")]
    public async Task PeerReloadsWithHigherPriorityForOneMember_HeldInBackup_NeitherVipMoves(string daemon)
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        Start(lab, a, daemon, Config("a", 100, 100));
        var peer = Start(lab, b, daemon, Config("b", 90, 90));
        await lab.WaitForSoleHolderAsync(Vip1, a, Election(90) + TimeSpan.FromSeconds(2), a, b);
        await lab.WaitForSoleHolderAsync(Vip2, a, TimeSpan.FromSeconds(2), a, b);

        // b would win VI_1 alone (110 > 100) but follows a for VI_2 (90 < 100): the group prefers BACKUP.
        peer.RewriteConfig(Config("b", 110, 90));
        Assert.True(peer.Reload());
        if (daemon == "vigil")
        {
            await peer.WaitForOutputAsync("Reload done", TimeSpan.FromSeconds(10));
        }

        // Without the hold, b's VI_1 takes over one master down interval (3.57 s) after the reload.
        var window = (2 * Election(110)) + TimeSpan.FromSeconds(1);
        await lab.SoleHolderHoldsForAsync(Vip1, a, window, a, b);
        await lab.SoleHolderHoldsForAsync(Vip2, a, TimeSpan.FromSeconds(1), a, b);
        if (daemon == "vigil")
        {
            Assert.Contains("(VI_1) master down timer expired; held in BACKUP", peer.ReadOutput(), StringComparison.Ordinal);
            Assert.DoesNotContain("(VI_1) Entering MASTER STATE", peer.ReadOutput(), StringComparison.Ordinal);
        }
    }
    [Theory]
    [InlineData("keepalived")]
    [InlineData("vigil")]
    public async Task PartitionHeals_MemberMeetingHigherPriorityPullsPartner_OneHostKeepsBothWithoutPriorityZero(string daemon)
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        Start(lab, a, daemon, Config("a", 100, 100));
        Start(lab, b, daemon, Config("b", 110, 90));
        await lab.WaitForSoleHolderAsync(Vip1, a, Election(90) + TimeSpan.FromSeconds(2), a, b);
        await lab.WaitForSoleHolderAsync(Vip2, a, TimeSpan.FromSeconds(2), a, b);

        // Cut b off from VRRP both ways (a cable pull would drop the carrier: FAULT). Each of b's members times out
        // (VI_1 first, held until VI_2 wants MASTER too) and b takes both.
        var rules = lab.WriteFile("partition", "nft", "table ip partition {\n    chain in { type filter hook input priority 0; ip protocol 112 drop; }\n"
            + "    chain out { type filter hook output priority 0; ip protocol 112 drop; }\n}\n");
        await b.ExecAsync("nft", "-f", rules);
        await Poll.UntilAsync(async () => await b.HasAddressAsync(Vip1) && await b.HasAddressAsync(Vip2),
            (2 * Election(90)) + TimeSpan.FromSeconds(2), "b master of both while cut off", lab.DiagnosticsAsync);
        var capture = await lab.StartCaptureAsync("ip proto 112");
        await b.ExecAsync("nft", "delete", "table", "ip", "partition");

        // Two masters per VRID meet: VI_1 is b's (110 > 100), VI_2 a's (100 > 90). Without the pull each host would
        // keep one VIP; with it, the first member to yield takes its partner along and one host keeps both.
        async Task<bool> OneHostHoldsBoth()
        {
            var first = await lab.HoldersAsync(Vip1, a, b);
            var second = await lab.HoldersAsync(Vip2, a, b);
            return first.Count == 1 && second.Count == 1 && first[0] == second[0];
        }
        await Poll.UntilAsync(OneHostHoldsBoth, (2 * Election(90)) + TimeSpan.FromSeconds(4), "one host holding both VIPs", lab.DiagnosticsAsync);
        await Poll.HoldsForAsync(OneHostHoldsBoth, TimeSpan.FromSeconds(5), "one host keeps both VIPs", lab.DiagnosticsAsync);
        await capture.StopAsync();

        // keepalived compat (vrrp_sync_backup): the pulled master leaves without a priority-0 advert.
        Assert.Equal(0, await capture.CountAsync("vrrp.prio == 0"));
    }
}
