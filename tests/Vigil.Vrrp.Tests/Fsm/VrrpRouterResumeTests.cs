using System.Net;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;
using Vigil.Vrrp.Tests.Fakes;

namespace Vigil.Vrrp.Tests.Fsm;

/// <summary>Reload in place (<see cref="VrrpRouter.Resume"/>) and the sync group inputs (ForceMaster/ForceBackup, the takeover gate).</summary>
public class VrrpRouterResumeTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(100);
    private static readonly IPAddress Self = IPAddress.Parse("10.77.0.5");
    private static readonly IPAddress Peer = IPAddress.Parse("10.77.0.9");
    private static readonly IPAddress Vip = IPAddress.Parse("10.77.0.100");
    private static readonly IPAddress Vip2 = IPAddress.Parse("10.77.0.101");

    private static VrrpInstanceOptions Options(int priority = 100, params IPAddress[] vips) =>
        new() { Name = "VI_1", VirtualRouterId = 51, PrimaryAddress = Self, Priority = priority, VirtualAddresses = vips.Length == 0 ? [Vip] : vips };

    private static (VrrpRouter Router, RecordingEffects Effects) Master(VrrpInstanceOptions options)
    {
        var effects = new RecordingEffects();
        var router = new VrrpRouter(options, effects);
        router.Start(T0);
        router.OnTimer(router.NextDeadline);
        Assert.Equal(VrrpState.Master, router.State);
        effects.Clear();
        return (router, effects);
    }

    private static VrrpAdvert Advert(int priority) => new(VrrpVersion.V2, 51, (byte)priority, TimeSpan.FromSeconds(1), [Vip]);

    private sealed class Gate(bool allow) : IVrrpTakeoverGate
    {
        public bool Allow { get; set; } = allow;

        public int Asked { get; private set; }

        public bool MayBecomeMaster(VrrpRouter router)
        {
            Asked++;
            return Allow;
        }
    }

    [Fact]
    public void Resume_MasterWithNewPriority_StaysMasterSendsNothingAndAdvertisesNewPriorityOnSchedule()
    {
        var (old, oldEffects) = Master(Options(100));
        TimeSpan now = T0 + TimeSpan.FromSeconds(4.2);
        old.OnTimer(now);
        TimeSpan due = old.NextDeadline;
        var effects = new RecordingEffects();
        var next = new VrrpRouter(Options(150), effects);

        next.Resume(old, now);

        Assert.Equal(VrrpState.Master, next.State);
        Assert.Equal(150, next.EffectivePriority);
        Assert.Empty(effects.Effects);
        Assert.DoesNotContain(oldEffects.Effects, e => e is RemovedAddresses);
        Assert.Equal(due, next.NextDeadline);
        Assert.Same(old.Stats, next.Stats);
        next.OnTimer(due);
        SentAdvert advert = Assert.Single(effects.Adverts);
        Assert.Equal(150, advert.Advert.Priority);
        Assert.DoesNotContain(effects.Adverts, a => a.Advert.Priority == 0);
    }

    [Fact]
    public void Resume_MasterWithChangedVips_AddsGainedWithGarpAndRemovesLostThroughOldEffects()
    {
        var (old, oldEffects) = Master(Options(100, Vip));
        var effects = new RecordingEffects();
        var next = new VrrpRouter(Options(100, Vip2), effects);

        next.Resume(old, T0 + TimeSpan.FromSeconds(5));

        Assert.Equal([Vip], Assert.IsType<RemovedAddresses>(Assert.Single(oldEffects.Effects)).Addresses);
        Assert.Equal([Vip2], Assert.IsType<AddedAddresses>(effects.Effects[0]).Addresses);
        SentGratuitous garp = Assert.IsType<SentGratuitous>(effects.Effects[1]);
        Assert.Equal([Vip2], garp.Addresses);
        Assert.Equal(5, garp.Repeat);
        next.OnTimer(next.NextDeadline);
        Assert.Equal([Vip2], effects.Adverts.Last().Advert.Addresses);
    }

    [Fact]
    public void Resume_BackupWithAddedVip_InstallsNothingAndKeepsMasterDownDeadline()
    {
        var oldEffects = new RecordingEffects();
        var old = new VrrpRouter(Options(100), oldEffects);
        old.Start(T0);
        old.OnAdvert(Advert(200), Peer, T0 + TimeSpan.FromSeconds(1));
        TimeSpan due = old.NextDeadline;
        var effects = new RecordingEffects();
        var next = new VrrpRouter(Options(100, Vip, Vip2), effects);

        next.Resume(old, T0 + TimeSpan.FromSeconds(2));

        Assert.Equal(VrrpState.Backup, next.State);
        Assert.Empty(effects.Effects);
        Assert.Equal(due, next.NextDeadline);
        Assert.Equal(Peer, next.MasterAddress);
    }

    [Fact]
    public void Resume_TrackerOffset_KeptOnNewBasePriority()
    {
        var (old, _) = Master(Options(100));
        old.SetPriority(70, T0);
        var next = new VrrpRouter(Options(120), new RecordingEffects());

        next.Resume(old, T0 + TimeSpan.FromSeconds(1));

        Assert.Equal(90, next.EffectivePriority);
        Assert.Equal(90, next.MasterPriority);
    }

    [Fact]
    public void Resume_FaultedRouter_StaysInFaultUntilCleared()
    {
        var old = new VrrpRouter(Options(100), new RecordingEffects());
        old.SetFault(true, T0);
        old.Start(T0);
        var effects = new RecordingEffects();
        var next = new VrrpRouter(Options(100), effects);

        next.Resume(old, T0 + TimeSpan.FromSeconds(1));
        Assert.Equal(VrrpState.Fault, next.State);
        next.SetFault(false, T0 + TimeSpan.FromSeconds(2));

        Assert.Equal(VrrpState.Backup, next.State);
        Assert.Equal(VrrpTransitionReason.FaultCleared, Assert.Single(effects.Changes).Reason);
    }

    [Fact]
    public void Resume_OtherVrid_ThrowsAndCanResumeIsFalse()
    {
        var (old, _) = Master(Options(100));
        var next = new VrrpRouter(Options(100) with { VirtualRouterId = 52 }, new RecordingEffects());

        Assert.False(next.CanResume(old));
        Assert.Throws<ArgumentException>(() => next.Resume(old, T0));
        Assert.Equal(VrrpState.Init, next.State);
    }

    [Fact]
    public void Resume_AlreadyStarted_Throws()
    {
        var (old, _) = Master(Options(100));
        var next = new VrrpRouter(Options(100), new RecordingEffects());
        next.Start(T0);

        Assert.Throws<InvalidOperationException>(() => next.Resume(old, T0));
    }

    [Fact]
    public void Resume_ShorterAdvertInterval_NextAdvertNoLaterThanNewInterval()
    {
        var (old, _) = Master(Options(100) with { AdvertInterval = TimeSpan.FromSeconds(5) });
        TimeSpan now = old.NextDeadline - TimeSpan.FromSeconds(4.5);
        var next = new VrrpRouter(Options(100) with { AdvertInterval = TimeSpan.FromSeconds(1) }, new RecordingEffects());

        next.Resume(old, now);

        Assert.Equal(now + TimeSpan.FromSeconds(1), next.NextDeadline);
    }

    [Fact]
    public void ForceBackup_Master_ReleasesAddressesWithoutPriorityZeroAndWaitsMasterDownInterval()
    {
        var (router, effects) = Master(Options(100));
        TimeSpan now = T0 + TimeSpan.FromSeconds(10);

        router.ForceBackup(now);

        Assert.Equal(VrrpState.Backup, router.State);
        Assert.Empty(effects.Adverts);
        Assert.IsType<RemovedAddresses>(effects.Effects[0]);
        Assert.Equal(VrrpTransitionReason.SyncGroup, Assert.Single(effects.Changes).Reason);
        Assert.Equal(now + router.MasterDownInterval, router.NextDeadline);
        Assert.False(router.WantsMaster);
    }

    [Fact]
    public void ForceMaster_Backup_BecomesMasterAtOnce_OtherStatesUntouched()
    {
        var effects = new RecordingEffects();
        var router = new VrrpRouter(Options(100), effects);
        router.ForceMaster(T0);
        Assert.Equal(VrrpState.Init, router.State);
        router.Start(T0);

        router.ForceMaster(T0 + TimeSpan.FromSeconds(1));

        Assert.Equal(VrrpState.Master, router.State);
        Assert.True(router.WantsMaster);
        Assert.Equal(VrrpTransitionReason.SyncGroup, effects.Changes.Last().Reason);
        router.ForceMaster(T0 + TimeSpan.FromSeconds(2));
        Assert.Single(effects.Changes, c => c.NewState == VrrpState.Master);
    }

    [Fact]
    public void TakeoverGate_Denies_HeldInBackupSilentAndAsksAgainAfterMasterDownInterval()
    {
        var effects = new RecordingEffects();
        var gate = new Gate(allow: false);
        var router = new VrrpRouter(Options(100), effects) { TakeoverGate = gate };
        router.Start(T0);
        TimeSpan first = router.NextDeadline;

        router.OnTimer(first);

        Assert.Equal(VrrpState.Backup, router.State);
        Assert.True(router.TakeoverHeld);
        Assert.Empty(effects.Adverts);
        Assert.Equal(first + router.MasterDownInterval, router.NextDeadline);

        gate.Allow = true;
        router.OnTimer(router.NextDeadline);
        Assert.Equal(VrrpState.Master, router.State);
        Assert.Equal(2, gate.Asked);
    }

    [Fact]
    public void TakeoverHeld_AcceptedAdvert_NoLongerWantsMaster()
    {
        var router = new VrrpRouter(Options(100), new RecordingEffects()) { TakeoverGate = new Gate(allow: false) };
        router.Start(T0);
        router.OnTimer(router.NextDeadline);
        Assert.True(router.WantsMaster);

        router.OnAdvert(Advert(200), Peer, T0 + TimeSpan.FromSeconds(5));

        Assert.False(router.WantsMaster);
        Assert.False(router.TakeoverHeld);
    }

    [Fact]
    public void TakeoverHeld_LowerPriorityAdvert_StillWantsMaster()
    {
        var router = new VrrpRouter(Options(100), new RecordingEffects()) { TakeoverGate = new Gate(allow: false) };
        router.Start(T0);
        router.OnTimer(router.NextDeadline);

        router.OnAdvert(Advert(50), Peer, T0 + TimeSpan.FromSeconds(5));

        Assert.True(router.TakeoverHeld);
    }
}
