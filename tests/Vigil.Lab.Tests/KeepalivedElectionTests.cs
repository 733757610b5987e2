using System.Diagnostics;
using System.Globalization;
using Vigil.Testing;

namespace Vigil.Lab.Tests;

// Inside Vigil.Lab.*, the name Lab would mean the namespace: alias the harness class.
using Lab = Vigil.Testing.Lab;

/// <summary>
/// Proof of the harness with the reference implementation: two real keepalived 2.2.7 on one bridge
/// elect the higher priority as master, and the backup takes over after the master dies.
/// Deadlines come from the protocol bounds (RFC 3768 / RFC 5798 §6.1) plus margins for a loaded machine.
/// </summary>
public sealed class KeepalivedElectionTests
{
    private static readonly TimeSpan AdvertInt = TimeSpan.FromSeconds(1);

    // Process start, config parse and netlink setup before keepalived's timers even begin.
    private static readonly TimeSpan StartupMargin = TimeSpan.FromSeconds(6);

    // Scheduling noise on two shared cores plus our 50 ms poll.
    private static readonly TimeSpan TakeoverMargin = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Election_TwoKeepalivedV2_HigherPriorityHoldsVipAndBackupTakesOverAfterKill()
    {
        await using var lab = await LabFactory.CreateAsync();
        var lb1 = await lab.AddHostAsync("lb1");
        var lb2 = await lab.AddHostAsync("lb2");
        var capture = await lab.StartCaptureAsync("ip proto 112");
        var lb2Addresses = await lb2.StartAddressMonitorAsync();

        var master = lab.StartKeepalived(lb1, Config("lb1", priority: 150, Lab.Vip4 + "/24"));
        lab.StartKeepalived(lb2, Config("lb2", priority: 100, Lab.Vip4 + "/24"));

        // Both start as BACKUP; the 150 one's Master_Down_Interval (3.41 s) ends first. If it started late,
        // the 100 one may hold the VIP briefly until preempted, which still fits in the slower bound.
        var electionBound = LabVrrp.MasterDownInterval(100, AdvertInt) + AdvertInt + StartupMargin;
        await lab.WaitForSoleHolderAsync(Lab.Vip4, lb1, electionBound, lb1, lb2);
        await lab.SoleHolderHoldsForAsync(Lab.Vip4, lb1, 3 * AdvertInt, lb1, lb2);

        var killedAt = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        master.Kill();
        var takeoverBound = LabVrrp.MasterDownInterval(100, AdvertInt) + TakeoverMargin;
        await lb2.WaitForAddressAsync(Lab.Vip4, takeoverBound, "eth0");
        var takeover = watch.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"takeover after kill -9: {takeover.TotalSeconds:F2} s (bound {takeoverBound.TotalSeconds:F2} s)");
        // kill -9 sends no priority 0 advert: the backup must have waited for its timer, which had at most
        // one advert interval already running when the master died.
        Assert.True(takeover >= LabVrrp.MasterDownInterval(100, AdvertInt) - AdvertInt - TimeSpan.FromMilliseconds(200),
            $"takeover after {takeover.TotalSeconds:F2} s is faster than the master down timer allows");
        // The kernel's timestamp of the VIP arriving on lb2, against the master's last advert on the wire.
        var added = await lb2Addresses.WaitForAsync(Lab.Vip4, added: true, TimeSpan.FromSeconds(5), after: killedAt);
        Assert.Equal("eth0", added.Interface);
        Assert.Equal(24, added.PrefixLength);

        await capture.WaitForPacketsAsync("vrrp && ip.src == 10.77.0.2 && vrrp.prio == 100", 2, 3 * AdvertInt + TakeoverMargin);
        await capture.StopAsync();
        var adverts = await capture.ReadFieldsAsync("vrrp", "frame.time_epoch", "ip.src", "ip.dst", "ip.ttl", "vrrp.version",
            "vrrp.virt_rtr_id", "vrrp.prio", "vrrp.ip_addr");
        var fromMaster = adverts.Where(a => a[1] == "10.77.0.1").ToList();
        Assert.True(fromMaster.Count >= 3, $"expected adverts from the master, got {fromMaster.Count}");
        Assert.All(adverts, a => Assert.Equal(["224.0.0.18", "255", "2", "77"], a[2..6]));
        Assert.All(fromMaster, a => Assert.Equal(["150", Lab.Vip4], a[6..8]));
        Assert.DoesNotContain(adverts, a => a[6] == "0"); // kill -9: no goodbye advert
        Assert.DoesNotContain(fromMaster, a => Epoch(a[0]) > killedAt.ToUnixTimeMilliseconds() / 1000.0 + 0.5);
        AssertAdvertIntervals(fromMaster, AdvertInt);
        var lastAdvert = DateTimeOffset.FromUnixTimeMilliseconds((long)(fromMaster.Max(a => Epoch(a[0])) * 1000));
        var silence = added.Time - lastAdvert;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"VIP on lb2 {silence.TotalSeconds:F3} s after lb1's last advert (Master_Down_Interval {LabVrrp.MasterDownInterval(100, AdvertInt).TotalSeconds:F3} s)");
        Assert.InRange(silence, LabVrrp.MasterDownInterval(100, AdvertInt) - TimeSpan.FromMilliseconds(100),
            LabVrrp.MasterDownInterval(100, AdvertInt) + TakeoverMargin);
    }

    [Fact]
    public async Task Election_TwoKeepalivedV3OverIpv6_HigherPriorityHoldsVipAndBackupTakesOverAfterKill()
    {
        await using var lab = await LabFactory.CreateAsync();
        var lb1 = await lab.AddHostAsync("lb1");
        var lb2 = await lab.AddHostAsync("lb2");
        var capture = await lab.StartCaptureAsync("ip6 proto 112");

        var master = lab.StartKeepalived(lb1, Config("lb1", priority: 150, Lab.Vip6 + "/64", version: 3));
        lab.StartKeepalived(lb2, Config("lb2", priority: 100, Lab.Vip6 + "/64", version: 3));

        var electionBound = LabVrrp.MasterDownInterval(100, AdvertInt) + AdvertInt + StartupMargin;
        await lab.WaitForSoleHolderAsync(Lab.Vip6, lb1, electionBound, lb1, lb2);
        await lab.SoleHolderHoldsForAsync(Lab.Vip6, lb1, 3 * AdvertInt, lb1, lb2);
        var masterLinkLocal = (await lb1.GetAddressesAsync("eth0")).Single(a => a.Scope == "link").Address.ToString();

        var watch = Stopwatch.StartNew();
        master.Kill();
        var takeoverBound = LabVrrp.MasterDownInterval(100, AdvertInt) + TakeoverMargin;
        await lb2.WaitForAddressAsync(Lab.Vip6, takeoverBound, "eth0");
        var takeover = watch.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"IPv6 takeover after kill -9: {takeover.TotalSeconds:F2} s (bound {takeoverBound.TotalSeconds:F2} s)");
        Assert.True(takeover >= LabVrrp.MasterDownInterval(100, AdvertInt) - AdvertInt - TimeSpan.FromMilliseconds(200),
            $"takeover after {takeover.TotalSeconds:F2} s is faster than the master down timer allows");

        await capture.StopAsync();
        var adverts = await capture.ReadFieldsAsync("vrrp", "ipv6.src", "ipv6.dst", "ipv6.hlim", "vrrp.version", "vrrp.prio");
        var fromMaster = adverts.Where(a => a[0] == masterLinkLocal).ToList();
        Assert.True(fromMaster.Count >= 3, $"expected adverts from the master {masterLinkLocal}, got {fromMaster.Count}");
        Assert.All(adverts, a => Assert.Equal(["ff02::12", "255", "3"], a[1..4]));
        Assert.All(fromMaster, a => Assert.Equal("150", a[4]));
        Assert.DoesNotContain(adverts, a => a[4] == "0"); // kill -9: no goodbye advert
    }

    private static string Config(string routerId, int priority, string vip, int version = 2) =>
        LabVrrp.GlobalDefs(routerId, [$"vrrp_version {version}"]) +
        LabVrrp.Instance(priority: priority, advertInt: AdvertInt.TotalSeconds, vips: [vip]);

    private static double Epoch(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The master's adverts are spaced by advert_int (median within 20 %).</summary>
    private static void AssertAdvertIntervals(IReadOnlyList<string[]> adverts, TimeSpan advertInt)
    {
        var times = adverts.Select(a => Epoch(a[0])).Order().ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).Order().ToList();
        Assert.NotEmpty(gaps);
        var median = gaps[gaps.Count / 2];
        Assert.InRange(median, advertInt.TotalSeconds * 0.8, advertInt.TotalSeconds * 1.2);
    }
}
