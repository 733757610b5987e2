using System.Net;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;
using Vigil.Vrrp.Tests.Fakes;
using static Vigil.Vrrp.Tests.Packets.KeepalivedCaptures;

namespace Vigil.Vrrp.Tests.Fsm;

public class VrrpDispatcherTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(10);

    private static VrrpRouter Router(byte vrid, VrrpVersion version = VrrpVersion.V2, Func<VrrpInstanceOptions, VrrpInstanceOptions>? configure = null)
    {
        var o = new VrrpInstanceOptions { Name = $"vi{vrid}", VirtualRouterId = vrid, PrimaryAddress = IPAddress.Parse("10.77.0.50"), Version = version, Priority = 100 };
        var router = new VrrpRouter(configure is null ? o : configure(o), new RecordingEffects());
        router.Start(T0);
        return router;
    }

    [Fact]
    public void OnIPv4Datagram_KeepalivedAdverts_ReachTheRouterOfTheirVrid()
    {
        var dispatcher = new VrrpDispatcher();
        VrrpRouter v2 = Router(11, configure: o => o with { VirtualAddresses = [IPAddress.Parse("10.77.0.11"), IPAddress.Parse("10.77.0.111")] });
        VrrpRouter ah = Router(13, configure: o => o with { AuthType = VrrpAuthType.Ah, AuthPassword = "ahsecret", VirtualAddresses = [IPAddress.Parse("10.77.0.13")] });
        VrrpRouter v3 = Router(14, VrrpVersion.V3, o => o with { VirtualAddresses = [IPAddress.Parse("10.77.0.14"), IPAddress.Parse("10.77.0.114")] });
        Assert.True(dispatcher.Add(v2) && dispatcher.Add(ah) && dispatcher.Add(v3));

        Assert.Equal(VrrpDropReason.None, dispatcher.OnIPv4Datagram(Bytes(V2Plain), T0));
        Assert.Equal(VrrpDropReason.None, dispatcher.OnIPv4Datagram(Bytes(V2Ah), T0));
        Assert.Equal(VrrpDropReason.None, dispatcher.OnIPv4Datagram(Bytes(V3IPv4), T0));

        Assert.All(new[] { v2, ah, v3 }, r => Assert.Equal(1, r.Stats.AdvertsReceived));
        Assert.All(new[] { v2, ah, v3 }, r => Assert.Equal(0, r.Stats.AddressListErrors));
        Assert.Equal(IPAddress.Parse("10.77.0.1"), v3.MasterAddress);
    }

    [Fact]
    public void OnIPv4Datagram_UnknownVrid_Counted()
    {
        var dispatcher = new VrrpDispatcher();
        dispatcher.Add(Router(99));

        Assert.Equal(VrrpDropReason.WrongVirtualRouterId, dispatcher.OnIPv4Datagram(Bytes(V2Plain), T0));
        Assert.Equal(VrrpDropReason.TooShort, dispatcher.OnIPv4Datagram([0x45, 0], T0));
        Assert.Equal(2, dispatcher.UnknownVirtualRouterId);
    }

    [Fact]
    public void Add_SameVridTwice_Refused()
    {
        var dispatcher = new VrrpDispatcher();

        Assert.True(dispatcher.Add(Router(7)));
        Assert.False(dispatcher.Add(Router(7)));
    }

    [Fact]
    public void NextDeadlineAndOnTimer_ManyRouters_RunEachWhenDue()
    {
        var dispatcher = new VrrpDispatcher();
        VrrpRouter slow = Router(1, configure: o => o with { AdvertInterval = TimeSpan.FromSeconds(3) });
        VrrpRouter fast = Router(2);
        dispatcher.Add(slow);
        dispatcher.Add(fast);

        Assert.Equal(fast.NextDeadline, dispatcher.NextDeadline);
        dispatcher.OnTimer(dispatcher.NextDeadline);

        Assert.Equal(VrrpState.Master, fast.State);
        Assert.Equal(VrrpState.Backup, slow.State);
    }
}

public class VrrpRouterConstructionTests
{
    [Fact]
    public void Constructor_Vrid0_Throws()
    {
        var o = new VrrpInstanceOptions { Name = "x", VirtualRouterId = 0, PrimaryAddress = IPAddress.Parse("10.77.0.1") };

        Assert.Throws<ArgumentOutOfRangeException>(() => new VrrpRouter(o, new RecordingEffects()));
    }
}
