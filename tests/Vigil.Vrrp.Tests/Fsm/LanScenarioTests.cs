using System.Net;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;
using Vigil.Vrrp.Tests.Fakes;

namespace Vigil.Vrrp.Tests.Fsm;

/// <summary>Whole-protocol scenarios on the in-memory LAN (bytes go through the real codec).</summary>
public class LanScenarioTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    private static TimeSpan BecameMasterAt(FakeNode node, TimeSpan after) =>
        node.History.First(c => c.NewState == VrrpState.Master && c.At >= after).At;

    [Fact]
    public void V2MasterCrash_Priority100Backup_TakesOverAfterThreeIntervalsPlusSkew()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 200, "10.77.0.1");
        FakeNode b = lan.Add("b", 100, "10.77.0.2");
        a.TrackSends(lan);
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal([a], lan.Masters);

        lan.RunFor(TimeSpan.FromMilliseconds(300));
        TimeSpan lastAdvert = a.LastSendAt;
        a.Crash();
        lan.RunFor(TimeSpan.FromSeconds(10));

        // RFC 3768 §6.1: 3 * 1 s + (256 - 100) / 256 s after the last advert heard.
        Assert.Equal(lastAdvert + TimeSpan.FromSeconds(3 + (156.0 / 256)), BecameMasterAt(b, lastAdvert));
        Assert.Equal([b], lan.Masters);
        Assert.True(b.Effects.HoldsAddresses);
    }

    [Fact]
    public void V2MasterGracefulStop_Backup_TakesOverAfterSkewTime()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 200, "10.77.0.1");
        FakeNode b = lan.Add("b", 100, "10.77.0.2");
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10.5));
        TimeSpan stoppedAt = lan.Now;

        a.Shutdown();
        lan.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(stoppedAt + TimeSpan.FromSeconds(156.0 / 256), BecameMasterAt(b, stoppedAt));
        Assert.Equal(1, a.Router.Stats.PriorityZeroSent);
        Assert.Equal(1, b.Router.Stats.PriorityZeroReceived);
        Assert.False(a.Effects.HoldsAddresses);
    }

    [Fact]
    public void V3Backup_MasterAdvertisesEvery100ms_AdoptsIntervalAndTakesOverPerV3Formula()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 200, "10.77.0.1", o => o with { Version = VrrpVersion.V3, AdvertInterval = TimeSpan.FromMilliseconds(100) });
        FakeNode b = lan.Add("b", 100, "10.77.0.2", o => o with { Version = VrrpVersion.V3, AdvertInterval = OneSecond });
        a.TrackSends(lan);
        a.Boot();
        lan.RunFor(TimeSpan.FromSeconds(2));
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromMilliseconds(100), b.Router.MasterAdvertInterval);

        TimeSpan lastAdvert = a.LastSendAt;
        a.Crash();
        lan.RunFor(TimeSpan.FromSeconds(2));

        // RFC 5798 §6.1: 3 * 0.1 s + (256 - 100) * 0.1 s / 256.
        Assert.Equal(lastAdvert + TimeSpan.FromTicks(3 * 1_000_000 + (156 * 1_000_000 / 256)), BecameMasterAt(b, lastAdvert));
    }

    [Fact]
    public void Ipv6V3Pair_MasterCrash_BackupTakesOver()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 150, "fe80::1", o => o with { Version = VrrpVersion.V3, AdvertInterval = TimeSpan.FromMilliseconds(100) });
        FakeNode b = lan.Add("b", 100, "fe80::2", o => o with { Version = VrrpVersion.V3, AdvertInterval = TimeSpan.FromMilliseconds(100) });
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal([a], lan.Masters);
        Assert.Empty(lan.Drops);

        a.Crash();
        lan.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([b], lan.Masters);
    }

    [Fact]
    public void Start_Priority255StateMaster_BecomesMasterAtOnce()
    {
        var lan = new FakeLan();
        FakeNode owner = lan.Add("owner", 255, "10.77.0.1", o => o with { InitialState = VrrpState.Master });
        TimeSpan start = lan.Now;

        owner.Boot();

        Assert.Equal(VrrpState.Master, owner.Router.State);
        Assert.Equal(start, BecameMasterAt(owner, start));
    }

    [Fact]
    public void Start_StateMasterBelow255_WaitsFullMasterDownInterval()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 100, "10.77.0.1", o => o with { InitialState = VrrpState.Master });
        TimeSpan start = lan.Now;

        a.Boot();
        Assert.Equal(VrrpState.Backup, a.Router.State);
        lan.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(start + TimeSpan.FromSeconds(3 + (156.0 / 256)), BecameMasterAt(a, start));
    }

    [Fact]
    public void HigherPriorityJoins_WithPreempt_TakesOverAndOldMasterYields()
    {
        var lan = new FakeLan();
        FakeNode low = lan.Add("low", 100, "10.77.0.1");
        FakeNode high = lan.Add("high", 200, "10.77.0.2");
        low.Boot();
        lan.RunFor(TimeSpan.FromSeconds(5));
        TimeSpan joined = lan.Now;

        high.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10));

        // Lower-priority adverts are discarded, so the newcomer's first down timer runs out.
        Assert.Equal(joined + TimeSpan.FromSeconds(3 + (56.0 / 256)), BecameMasterAt(high, joined));
        Assert.Equal([high], lan.Masters);
        Assert.Contains(low.History, c => c is { OldState: VrrpState.Master, NewState: VrrpState.Backup, Reason: VrrpTransitionReason.HigherPriorityAdvert });
        Assert.False(low.Effects.HoldsAddresses);
    }

    [Fact]
    public void HigherPriorityJoins_WithNopreempt_StaysBackup()
    {
        var lan = new FakeLan();
        FakeNode low = lan.Add("low", 100, "10.77.0.1");
        FakeNode high = lan.Add("high", 200, "10.77.0.2", o => o with { NoPreempt = true });
        low.Boot();
        lan.RunFor(TimeSpan.FromSeconds(5));

        high.Boot();
        lan.RunFor(TimeSpan.FromSeconds(30));

        Assert.Equal([low], lan.Masters);
        Assert.Equal(VrrpState.Backup, high.Router.State);
    }

    [Fact]
    public void HigherPriorityJoins_WithPreemptDelay_TakesOverAfterTheDelayPlusMasterDown()
    {
        var lan = new FakeLan();
        FakeNode low = lan.Add("low", 100, "10.77.0.1");
        FakeNode high = lan.Add("high", 200, "10.77.0.2", o => o with { PreemptDelay = TimeSpan.FromSeconds(10) });
        low.TrackSends(lan);
        low.Boot();
        lan.RunFor(TimeSpan.FromSeconds(5.5));
        TimeSpan joined = lan.Now;

        high.Boot();
        lan.RunFor(TimeSpan.FromSeconds(30));

        // Lower-priority adverts are accepted for 10 s from the first one heard; the last accepted one comes
        // 9 s after it (adverts every 1 s), and the down timer runs out 3 + 56/256 s after that.
        TimeSpan firstLowerAdvert = low.SendTimes.First(t => t >= joined);
        TimeSpan expected = firstLowerAdvert + TimeSpan.FromSeconds(9) + TimeSpan.FromSeconds(3 + (56.0 / 256));
        Assert.Equal(expected, BecameMasterAt(high, joined));
        Assert.Equal([high], lan.Masters);
    }

    [Fact]
    public void EqualPriorities_StartedTogether_HigherAddressWins()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 100, "10.77.0.1");
        FakeNode b = lan.Add("b", 100, "10.77.0.9");
        FakeNode c = lan.Add("c", 100, "10.77.0.5");
        foreach (FakeNode n in lan.Nodes)
        {
            n.Boot();
        }

        lan.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal([b], lan.Masters);
        Assert.All(new[] { a, c }, n => Assert.False(n.Effects.HoldsAddresses));
    }

    [Fact]
    public void Partition_Heals_LowerMasterYieldsAndSendsLowerPriorityGarpBurst()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 200, "10.77.0.1");
        FakeNode b = lan.Add("b", 100, "10.77.0.2", o => o with { HigherPrioSendAdvert = true });
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(5));
        lan.Blocked = (_, _) => true;
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal(2, lan.Masters.Count);
        a.Effects.Clear();

        lan.Blocked = null;
        lan.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal([a], lan.Masters);
        Assert.Contains(a.Effects.Effects, e => e is LowerPriorityReceived { Priority: 100 });
        Assert.Contains(a.Effects.Effects, e => e is SentGratuitous { Repeat: 5 });
    }

    [Fact]
    public void Fault_OnMaster_SendsPriorityZeroAndBackupTakesOverAfterSkew()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 200, "10.77.0.1");
        FakeNode b = lan.Add("b", 100, "10.77.0.2");
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10.25));
        TimeSpan faultAt = lan.Now;

        a.Router.SetFault(true, lan.Now);
        lan.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(faultAt + TimeSpan.FromSeconds(156.0 / 256), BecameMasterAt(b, faultAt));
        Assert.Equal(VrrpState.Fault, a.Router.State);

        a.Router.SetFault(false, lan.Now);
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal([a], lan.Masters);
    }

    [Fact]
    public void SetPriority_MasterDropsBelowBackup_BackupPreempts()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 150, "10.77.0.1");
        FakeNode b = lan.Add("b", 120, "10.77.0.2");
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal([a], lan.Masters);

        a.Router.SetPriority(100, lan.Now);
        lan.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal([b], lan.Masters);
        Assert.Equal(100, a.Router.EffectivePriority);
    }

    [Fact]
    public void WrongPassword_BackupIgnoresMasterAndBecomesMasterToo()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 200, "10.77.0.1", o => o with { AuthType = VrrpAuthType.Pass, AuthPassword = "right" });
        FakeNode b = lan.Add("b", 100, "10.77.0.2", o => o with { AuthType = VrrpAuthType.Pass, AuthPassword = "wrong" });
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal(2, lan.Masters.Count);
        Assert.True(b.Router.Stats.Dropped(VrrpDropReason.AuthFailure) > 0);
        Assert.True(lan.Drops[VrrpDropReason.AuthFailure] > 0);
    }

    [Fact]
    public void UnicastPeers_V3Pair_ElectsHigherPriorityWithoutMulticast()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 200, "10.77.0.1", o => o with { Version = VrrpVersion.V3, UnicastPeers = [IPAddress.Parse("10.77.0.2")] });
        FakeNode b = lan.Add("b", 100, "10.77.0.2", o => o with { Version = VrrpVersion.V3, UnicastPeers = [IPAddress.Parse("10.77.0.1")] });
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal([a], lan.Masters);
        Assert.All(a.Effects.Adverts, s => Assert.Equal(IPAddress.Parse("10.77.0.2"), s.Destination));
        Assert.Empty(lan.Drops);
    }

    [Fact]
    public void AhPair_SameKey_ElectsAndDropsNothing()
    {
        var lan = new FakeLan();
        FakeNode a = lan.Add("a", 200, "10.77.0.1", o => o with { AuthType = VrrpAuthType.Ah, AuthPassword = "ahsecret" });
        FakeNode b = lan.Add("b", 100, "10.77.0.2", o => o with { AuthType = VrrpAuthType.Ah, AuthPassword = "ahsecret" });
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal([a], lan.Masters);
        Assert.Empty(lan.Drops);
        Assert.True(b.Router.Stats.AdvertsReceived > 5);
    }
}
