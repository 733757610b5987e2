using System.Diagnostics;
using Vigil.Testing;

namespace Vigil.Lab.Tests.Vrrp;

/// <summary>
/// vigil and the real keepalived 2.2.7 on one bridge: whoever should be master is, and failover works
/// both ways, as when an operator migrates one node at a time.
/// </summary>
public sealed class VrrpInteropTests
{
    private const string Vip = Testing.Lab.Vip4;

    /// <summary>A vigil host and a keepalived host on one bridge, one of them the elected master.</summary>
    private sealed record Pair(Testing.Lab Lab, LabHost V, LabHost K, LabDaemon Vigil, LabDaemon Keepalived, VrrpInstanceSpec High, VrrpInstanceSpec Low)
        : IAsyncDisposable
    {
        public LabHost Master(bool vigil) => vigil ? V : K;

        public ValueTask DisposeAsync() => Lab.DisposeAsync();
    }

    /// <summary>Starts the pair (priorities 150 and 100) and waits until the expected master is the sole VIP holder.</summary>
    private static async Task<Pair> StartPairAsync(bool vigilIsMaster, string? authPass = null)
    {
        var lab = await LabFactory.CreateAsync();
        try
        {
            var v = await lab.AddHostAsync("v");
            var k = await lab.AddHostAsync("k");
            var high = new VrrpInstanceSpec { Priority = 150, AuthPass = authPass };
            var low = high with { Priority = 100 };
            var keepalived = lab.StartKeepalived(k, (vigilIsMaster ? low : high).ToConfig("k"));
            var vigil = lab.StartVigil(v, (vigilIsMaster ? high : low).ToConfig("v"));
            await lab.WaitForSoleHolderAsync(Vip, vigilIsMaster ? v : k, Bounds.Election(high), v, k);
            return new Pair(lab, v, k, vigil, keepalived, high, low);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task VigilHigherPriority_BecomesMaster_KeepalivedStaysBackup()
    {
        await using var pair = await StartPairAsync(vigilIsMaster: true, authPass: "interop1");
        await pair.Lab.SoleHolderHoldsForAsync(Vip, pair.V, Bounds.Stable(pair.High), pair.V, pair.K);
    }

    [Fact]
    public async Task KeepalivedHigherPriority_BecomesMaster_VigilStaysBackup()
    {
        await using var pair = await StartPairAsync(vigilIsMaster: false);
        await pair.Lab.SoleHolderHoldsForAsync(Vip, pair.K, Bounds.Stable(pair.High), pair.V, pair.K);
    }

    [Fact]
    public async Task VigilMasterStopsGracefully_KeepalivedTakesOverWithinSkewTime()
    {
        await using var pair = await StartPairAsync(vigilIsMaster: true);

        var watch = Stopwatch.StartNew();
        Assert.True(await pair.Vigil.StopAsync(), "vigil should exit on SIGTERM");
        var took = await pair.Lab.WaitForSoleHolderAsync(Vip, pair.K, pair.Low.SkewTime + Bounds.Margin, pair.V, pair.K);

        // Priority 0 from the master lets the backup take over after Skew_Time, not Master_Down_Interval.
        Assert.True(watch.Elapsed < pair.Low.MasterDownInterval, $"takeover took {watch.Elapsed}, as long as a crash ({pair.Low.MasterDownInterval}): was priority 0 sent?");
        TestContext.Current.TestOutputHelper?.WriteLine($"graceful takeover by keepalived in {took.TotalSeconds:F2} s (skew {pair.Low.SkewTime.TotalSeconds:F2} s)");
    }

    [Fact]
    public async Task KeepalivedMasterStopsGracefully_VigilTakesOverWithinSkewTime()
    {
        await using var pair = await StartPairAsync(vigilIsMaster: false);

        var watch = Stopwatch.StartNew();
        await pair.Keepalived.StopAsync();
        await pair.Lab.WaitForSoleHolderAsync(Vip, pair.V, pair.Low.SkewTime + Bounds.Margin, pair.V, pair.K);
        Assert.True(watch.Elapsed < pair.Low.MasterDownInterval, $"vigil took {watch.Elapsed}: it should act on priority 0 after Skew_Time");
    }

    [Fact]
    public async Task VigilMasterKilled_KeepalivedTakesOverWithinMasterDownInterval()
    {
        await using var pair = await StartPairAsync(vigilIsMaster: true);

        await pair.Vigil.KillAsync();
        // kill -9 leaves the VIP on v (nobody removes it, as with keepalived #2361): wait for k to hold it.
        await Poll.UntilAsync(() => pair.K.HasAddressAsync(Vip), pair.Low.MasterDownInterval + Bounds.Margin, "keepalived to take the VIP", pair.Lab.DiagnosticsAsync);
    }

    [Fact]
    public async Task KeepalivedMasterKilled_VigilTakesOverWithinMasterDownInterval_AndSendsGratuitousArp()
    {
        await using var pair = await StartPairAsync(vigilIsMaster: false);
        var capture = await pair.Lab.StartCaptureAsync("arp");

        await pair.Keepalived.KillAsync();
        await Poll.UntilAsync(() => pair.V.HasAddressAsync(Vip), pair.Low.MasterDownInterval + Bounds.Margin, "vigil to take the VIP", pair.Lab.DiagnosticsAsync);

        // Gratuitous ARP: sender and target are the VIP (RFC 5227 §3 announcement form, as keepalived sends).
        await capture.WaitForPacketsAsync($"arp.src.proto_ipv4 == {Vip} && arp.dst.proto_ipv4 == {Vip}", 1, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task VigilRestarted_WithHigherPriority_PreemptsKeepalived()
    {
        await using var pair = await StartPairAsync(vigilIsMaster: true);
        await pair.Vigil.StopAsync();
        await pair.Lab.WaitForSoleHolderAsync(Vip, pair.K, pair.Low.SkewTime + Bounds.Margin, pair.V, pair.K);

        pair.Lab.StartVigil(pair.V, pair.High.ToConfig("v2"));

        await pair.Lab.WaitForSoleHolderAsync(Vip, pair.V, Bounds.Election(pair.High), pair.V, pair.K);
        await pair.Lab.SoleHolderHoldsForAsync(Vip, pair.V, Bounds.Stable(pair.High), pair.V, pair.K);
    }

    [Fact]
    public async Task WrongPassword_AdvertsAreIgnored_SoVigilBecomesMasterAlongside()
    {
        await using var lab = await LabFactory.CreateAsync();
        var v = await lab.AddHostAsync("v");
        var k = await lab.AddHostAsync("k");
        var keepalivedSpec = new VrrpInstanceSpec { Priority = 200, AuthPass = "right123" };
        var vigilSpec = keepalivedSpec with { Priority = 100, AuthPass = "wrong456" };
        lab.StartKeepalived(k, keepalivedSpec.ToConfig("k"));
        await Poll.UntilAsync(() => k.HasAddressAsync(Vip), Bounds.Election(keepalivedSpec), "keepalived to become master", lab.DiagnosticsAsync);

        lab.StartVigil(v, vigilSpec.ToConfig("v"));

        // A higher-priority advert that fails authentication must not hold vigil in BACKUP.
        await Poll.UntilAsync(() => v.HasAddressAsync(Vip), Bounds.Election(vigilSpec), "vigil to ignore the unauthenticated adverts", lab.DiagnosticsAsync);
    }

    [Fact]
    public async Task UnicastPeers_ElectTheHigherPriority_AndAdvertsGoToThePeer()
    {
        await using var lab = await LabFactory.CreateAsync();
        var v = await lab.AddHostAsync("v");
        var k = await lab.AddHostAsync("k");
        var vSpec = new VrrpInstanceSpec { Priority = 150, UnicastSource = v.Ipv4!.ToString(), UnicastPeers = [k.Ipv4!.ToString()] };
        var kSpec = vSpec with { Priority = 100, UnicastSource = k.Ipv4!.ToString(), UnicastPeers = [v.Ipv4!.ToString()] };
        var capture = await lab.StartCaptureAsync("ip proto 112");
        lab.StartKeepalived(k, kSpec.ToConfig("k"));
        var vigil = lab.StartVigil(v, vSpec.ToConfig("v"));

        await lab.WaitForSoleHolderAsync(Vip, v, Bounds.Election(vSpec), v, k);
        await capture.WaitForPacketsAsync($"vrrp && ip.src == {v.Ipv4} && ip.dst == {k.Ipv4}", 2, TimeSpan.FromSeconds(5));

        await vigil.StopAsync();
        await lab.WaitForSoleHolderAsync(Vip, k, kSpec.SkewTime + Bounds.Margin, v, k);
    }

    [Fact]
    public async Task Version3OverIpv6_With100msAdverts_FailsOverBothWays()
    {
        await using var lab = await LabFactory.CreateAsync();
        var v = await lab.AddHostAsync("v");
        var k = await lab.AddHostAsync("k");
        // keepalived requires the first IPv6 VIP of a v3 instance to be link-local only under strict mode; a global one is fine here.
        var high = new VrrpInstanceSpec { Version = 3, AdvertInt = "0.1", Priority = 150, Vips = [$"{Testing.Lab.Vip6}/64"] };
        var low = high with { Priority = 100 };
        var vigil = lab.StartVigil(v, high.ToConfig("v"));
        var keepalived = lab.StartKeepalived(k, low.ToConfig("k"));
        await lab.WaitForSoleHolderAsync(Testing.Lab.Vip6, v, Bounds.Election(high), v, k);
        await lab.SoleHolderHoldsForAsync(Testing.Lab.Vip6, v, Bounds.Stable(high), v, k);

        await vigil.KillAsync();
        await Poll.UntilAsync(() => k.HasAddressAsync(Testing.Lab.Vip6), low.MasterDownInterval + Bounds.Margin, "keepalived to take the IPv6 VIP", lab.DiagnosticsAsync);

        // And back the other way: vigil as backup, keepalived stopped gracefully.
        lab.StartVigil(v, low.ToConfig("v2") .Replace("priority 100", "priority 90", StringComparison.Ordinal));
        await Task.Yield();
        await keepalived.StopAsync();
        await Poll.UntilAsync(() => v.HasAddressAsync(Testing.Lab.Vip6), Bounds.Election(low), "vigil to take the IPv6 VIP back", lab.DiagnosticsAsync);
    }

    [Fact]
    public async Task VigilAdverts_DecodeInTsharkWithoutWarnings_Ttl255AndGoodChecksum()
    {
        await using var lab = await LabFactory.CreateAsync();
        var v = await lab.AddHostAsync("v");
        var v2 = await lab.AddHostAsync("v2");
        var spec = new VrrpInstanceSpec { Priority = 150, AuthPass = "tshark12" };
        var v3spec = new VrrpInstanceSpec { Name = "VI_3", Vrid = 52, Version = 3, Priority = 150, Vips = [$"{Testing.Lab.Vip6}/64"] };
        var capture = await lab.StartCaptureAsync("ip proto 112 or ip6 proto 112");
        lab.StartVigil(v, spec.ToConfig("v"));
        lab.StartVigil(v2, v3spec.ToConfig("v2"));
        await Poll.UntilAsync(() => v.HasAddressAsync(Vip), Bounds.Election(spec), "vigil to become master", lab.DiagnosticsAsync);
        await Poll.UntilAsync(() => v2.HasAddressAsync(Testing.Lab.Vip6), Bounds.Election(v3spec), "vigil v3 to become master", lab.DiagnosticsAsync);
        await capture.WaitForPacketsAsync("vrrp.version == 3", 3, TimeSpan.FromSeconds(10));
        await capture.StopAsync();

        var v2rows = await capture.ReadFieldsAsync("vrrp.version == 2", "ip.ttl", "vrrp.prio", "vrrp.checksum.status", "_ws.expert");
        var v3rows = await capture.ReadFieldsAsync("vrrp.version == 3", "ipv6.hlim", "vrrp.prio", "vrrp.checksum.status", "_ws.expert");
        Assert.NotEmpty(v2rows);
        Assert.NotEmpty(v3rows);
        Assert.All(v2rows, r => Assert.Equal(["255", "150", "1", ""], r));
        Assert.All(v3rows, r => Assert.Equal(["255", "150", "1", ""], r));
    }
}
