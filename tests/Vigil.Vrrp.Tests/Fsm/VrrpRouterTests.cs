using System.Net;
using Microsoft.Extensions.Logging;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;
using Vigil.Vrrp.Tests.Fakes;

namespace Vigil.Vrrp.Tests.Fsm;

public class VrrpRouterTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(100);
    private static readonly IPAddress Self = IPAddress.Parse("10.77.0.5");
    private static readonly IPAddress Vip = IPAddress.Parse("10.77.0.100");
    private static readonly IPAddress Lower = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Higher = IPAddress.Parse("10.77.0.9");

    private static VrrpInstanceOptions Options(int priority = 100, Func<VrrpInstanceOptions, VrrpInstanceOptions>? configure = null)
    {
        var o = new VrrpInstanceOptions { Name = "VI_1", VirtualRouterId = 51, PrimaryAddress = Self, Priority = priority, VirtualAddresses = [Vip] };
        return configure is null ? o : configure(o);
    }

    private static VrrpAdvert Advert(int priority, VrrpVersion version = VrrpVersion.V2, double seconds = 1, params IPAddress[] addresses) =>
        new(version, 51, (byte)priority, TimeSpan.FromSeconds(seconds), addresses.Length == 0 ? [Vip] : addresses);

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

    [Fact]
    public void Start_Backup_RemovesLeftoverAddressesThenWaitsMasterDownInterval()
    {
        var effects = new RecordingEffects();
        var router = new VrrpRouter(Options(), effects);

        router.Start(T0);

        Assert.IsType<RemovedAddresses>(effects.Effects[0]);
        Assert.Equal(VrrpState.Backup, router.State);
        Assert.Equal(T0 + TimeSpan.FromSeconds(3 + (156.0 / 256)), router.NextDeadline);
        Assert.Empty(effects.Adverts);
    }

    [Fact]
    public void OnTimer_BeforeDeadline_DoesNothing()
    {
        var effects = new RecordingEffects();
        var router = new VrrpRouter(Options(), effects);
        router.Start(T0);

        router.OnTimer(router.NextDeadline - TimeSpan.FromTicks(1));

        Assert.Equal(VrrpState.Backup, router.State);
    }

    [Fact]
    public void BecomeMaster_Effects_AdvertThenAddressesThenGarpThenNotify()
    {
        var effects = new RecordingEffects();
        var router = new VrrpRouter(Options(), effects);
        router.Start(T0);
        effects.Clear();

        router.OnTimer(router.NextDeadline);

        Assert.Collection(
            effects.Effects,
            e => Assert.Equal(100, Assert.IsType<SentAdvert>(e).Advert.Priority),
            e => Assert.Equal([Vip], Assert.IsType<AddedAddresses>(e).Addresses),
            e => Assert.Equal(5, Assert.IsType<SentGratuitous>(e).Repeat),
            e => Assert.Equal(VrrpTransitionReason.MasterDownTimerExpired, Assert.IsType<ChangedState>(e).Change.Reason));
        Assert.Equal(1, router.Stats.BecameMaster);
    }

    [Fact]
    public void Master_TenSeconds_AdvertisesEveryIntervalAndRepeatsGarpAfterMasterDelay()
    {
        var (router, effects) = Master(Options(configure: o => o with { GarpMasterRefresh = TimeSpan.FromSeconds(4), GarpMasterRefreshRepeat = 2 }));
        TimeSpan became = router.LastTransition;

        for (TimeSpan t = became; t <= became + TimeSpan.FromSeconds(10); t = router.NextDeadline)
        {
            router.OnTimer(t);
        }

        Assert.Equal(10, effects.Adverts.Count());
        Assert.Equal([5, 2, 2], effects.Effects.OfType<SentGratuitous>().Select(g => g.Repeat).Order().Reverse().ToArray()[..3]);
        Assert.Equal(1, effects.Effects.OfType<SentGratuitous>().Count(g => g.Repeat == 5));
        Assert.Equal(2, effects.Effects.OfType<SentGratuitous>().Count(g => g.Repeat == 2)); // at +4 s and +8 s
    }

    [Fact]
    public void Master_GarpMasterDelayZero_NoSecondBurst()
    {
        var (router, effects) = Master(Options(configure: o => o with { GarpMasterDelay = TimeSpan.Zero }));

        for (int i = 0; i < 10; i++)
        {
            router.OnTimer(router.NextDeadline);
        }

        Assert.Empty(effects.Effects.OfType<SentGratuitous>());
    }

    [Fact]
    public void Master_LowerPriorityAdvert_SendsAdvertGarpBurstAndNotifiesThenSecondBurstAfterDelay()
    {
        var (router, effects) = Master(Options(configure: o => o with { GarpLowerPrioRepeat = 2, GarpLowerPrioDelay = TimeSpan.FromSeconds(3), GarpMasterDelay = TimeSpan.Zero }));
        TimeSpan now = router.LastTransition + TimeSpan.FromMilliseconds(500);

        router.OnAdvert(Advert(50), Lower, now);

        Assert.Equal(VrrpState.Master, router.State);
        Assert.Collection(
            effects.Effects,
            e => Assert.Equal(100, Assert.IsType<SentAdvert>(e).Advert.Priority),
            e => Assert.Equal(2, Assert.IsType<SentGratuitous>(e).Repeat),
            e => Assert.Equal(new LowerPriorityReceived(Lower, 50), e));
        effects.Clear();
        while (router.NextDeadline <= now + TimeSpan.FromSeconds(3))
        {
            router.OnTimer(router.NextDeadline);
        }

        Assert.Single(effects.Effects.OfType<SentGratuitous>(), g => g.Repeat == 2);
    }

    [Fact]
    public void Master_LowerPriorityAdvertEverySecond_ReplyRestartsAdvertTimerAndEachGetsItsDelayedBurst()
    {
        // As keepalived 2.2.7 does on the wire (lab observation): a reply right after each lower advert and no
        // periodic advert in between; 5 GARPs at once and 5 more 5 s after each lower advert.
        var (router, effects) = Master(Options(configure: o => o with { GarpMasterDelay = TimeSpan.FromSeconds(5) }));
        TimeSpan start = router.LastTransition + TimeSpan.FromMilliseconds(500);
        for (int i = 0; i < 8; i++)
        {
            TimeSpan at = start + TimeSpan.FromSeconds(i);
            while (router.NextDeadline < at)
            {
                router.OnTimer(router.NextDeadline);
            }

            router.OnAdvert(Advert(50), Lower, at); // just before our own advert falls due, as on the wire
        }

        Assert.Equal(8, effects.Adverts.Count()); // without the restart the periodic adverts would double this
        Assert.Equal(start + TimeSpan.FromSeconds(7), router.NextDeadline); // the delayed burst of the 3rd lower advert
        // 8 immediate bursts, the garp_master_delay burst, and the delayed bursts of the first 2 lower adverts (due before +7 s).
        Assert.Equal(8 + 1 + 2, effects.Effects.OfType<SentGratuitous>().Count());
    }

    [Fact]
    public void Master_LowerPriorityWithLowerPrioNoAdvertAndNoGarp_OnlyNotifies()
    {
        var (router, effects) = Master(Options(configure: o => o with { LowerPrioNoAdvert = true, GarpLowerPrioRepeat = 0 }));

        router.OnAdvert(Advert(50), Lower, router.LastTransition);

        Assert.Equal([new LowerPriorityReceived(Lower, 50)], effects.Effects);
    }

    [Fact]
    public void Master_EqualPriorityFromLowerAddress_KeepsMaster()
    {
        var (router, effects) = Master(Options());

        router.OnAdvert(Advert(100), Lower, router.LastTransition);

        Assert.Equal(VrrpState.Master, router.State);
        Assert.Contains(effects.Effects, e => e is LowerPriorityReceived);
    }

    [Fact]
    public void Master_EqualPriorityFromHigherAddress_YieldsAndRemovesAddresses()
    {
        var (router, effects) = Master(Options());

        router.OnAdvert(Advert(100), Higher, router.LastTransition);

        Assert.Equal(VrrpState.Backup, router.State);
        Assert.Collection(
            effects.Effects,
            e => Assert.IsType<RemovedAddresses>(e),
            e => Assert.Equal(VrrpTransitionReason.HigherPriorityAdvert, Assert.IsType<ChangedState>(e).Change.Reason));
        Assert.Equal(1, router.Stats.ReleasedMaster);
        Assert.Equal(Higher, router.MasterAddress);
    }

    [Fact]
    public void Master_HigherPriorityWithHigherPrioSendAdvert_SendsOneAdvertFirst()
    {
        var (router, effects) = Master(Options(configure: o => o with { HigherPrioSendAdvert = true }));

        router.OnAdvert(Advert(200), Lower, router.LastTransition);

        Assert.Equal(100, Assert.IsType<SentAdvert>(effects.Effects[0]).Advert.Priority);
        Assert.Equal(VrrpState.Backup, router.State);
    }

    [Fact]
    public void Master_PriorityZero_AnswersWithAdvertAtOnce()
    {
        var (router, effects) = Master(Options());
        TimeSpan now = router.LastTransition + TimeSpan.FromMilliseconds(300);

        router.OnAdvert(Advert(0), Lower, now);

        Assert.Single(effects.Adverts);
        Assert.Equal(now + TimeSpan.FromSeconds(1), router.NextDeadline);
        Assert.Equal(1, router.Stats.PriorityZeroReceived);
    }

    [Fact]
    public void Master_OwnerIgnoreAdverts_IgnoresHigherAddressAtEqualPriority()
    {
        var (router, effects) = Master(Options(255, o => o with { InitialState = VrrpState.Master, OwnerIgnoreAdverts = true }));

        router.OnAdvert(Advert(255), Higher, router.LastTransition);

        Assert.Equal(VrrpState.Master, router.State);
        Assert.Empty(effects.Effects);
    }

    [Fact]
    public void Backup_PriorityZero_TimerBecomesSkewTime()
    {
        var router = new VrrpRouter(Options(), new RecordingEffects());
        router.Start(T0);

        router.OnAdvert(Advert(0), Higher, T0 + TimeSpan.FromSeconds(1));

        Assert.Equal(T0 + TimeSpan.FromSeconds(1 + (156.0 / 256)), router.NextDeadline);
    }

    [Fact]
    public void Backup_LowerPriorityWithPreempt_DiscardsAndKeepsTimer()
    {
        var router = new VrrpRouter(Options(), new RecordingEffects());
        router.Start(T0);
        TimeSpan deadline = router.NextDeadline;

        router.OnAdvert(Advert(50), Lower, T0 + TimeSpan.FromSeconds(1));

        Assert.Equal(deadline, router.NextDeadline);
        Assert.Null(router.MasterAddress);
    }

    [Fact]
    public void Backup_EqualPriority_AcceptsAndResetsTimer()
    {
        var router = new VrrpRouter(Options(), new RecordingEffects());
        router.Start(T0);

        router.OnAdvert(Advert(100), Lower, T0 + TimeSpan.FromSeconds(1));

        Assert.Equal(T0 + TimeSpan.FromSeconds(1 + 3 + (156.0 / 256)), router.NextDeadline);
        Assert.Equal(Lower, router.MasterAddress);
    }

    [Fact]
    public void Backup_V3AdvertWithOtherInterval_AdoptsItForTheDownTimer()
    {
        var router = new VrrpRouter(Options(100, o => o with { Version = VrrpVersion.V3 }), new RecordingEffects());
        router.Start(T0);

        router.OnAdvert(Advert(200, VrrpVersion.V3, 0.5), Higher, T0);

        Assert.Equal(TimeSpan.FromSeconds(0.5), router.MasterAdvertInterval);
        Assert.Equal(T0 + TimeSpan.FromSeconds(1.5 + (156 * 0.5 / 256)), router.NextDeadline);
    }

    [Fact]
    public void Advert_DifferentAddressList_CountedButAccepted()
    {
        var router = new VrrpRouter(Options(), new RecordingEffects());
        router.Start(T0);

        router.OnAdvert(Advert(200, addresses: IPAddress.Parse("10.77.0.200")), Higher, T0);

        Assert.Equal(1, router.Stats.AddressListErrors);
        Assert.Equal(Higher, router.MasterAddress);
    }

    [Fact]
    public void Advert_SkipCheckAdvAddrFromKnownMaster_NotCountedAgain()
    {
        var router = new VrrpRouter(Options(configure: o => o with { SkipCheckAdvAddr = true }), new RecordingEffects());
        router.Start(T0);
        VrrpAdvert odd = Advert(200, addresses: IPAddress.Parse("10.77.0.200"));

        router.OnAdvert(odd, Higher, T0);
        router.OnAdvert(odd, Higher, T0 + TimeSpan.FromSeconds(1));

        Assert.Equal(1, router.Stats.AddressListErrors);
    }

    [Fact]
    public void OnIPv4Datagram_BadPacket_CountedByReason()
    {
        var router = new VrrpRouter(Options(), new RecordingEffects());
        router.Start(T0);
        byte[] datagram = VrrpIPv4Datagram.Encode(Advert(200), new VrrpEncodeContext(Higher, VrrpInstanceOptions.DefaultGroupV4), 1, 0);
        datagram[8] = 64;

        VrrpDropReason reason = router.OnIPv4Datagram(datagram, T0);

        Assert.Equal(VrrpDropReason.BadTtl, reason);
        Assert.Equal(1, router.Stats.Dropped(VrrpDropReason.BadTtl));
        Assert.Equal(1, router.Stats.Snapshot().TtlErrors);
        Assert.Equal(0, router.Stats.AdvertsReceived);
    }

    [Fact]
    public void Stop_FromMaster_SendsPriorityZeroThenRemovesAddresses()
    {
        var (router, effects) = Master(Options());

        router.Stop(router.LastTransition + TimeSpan.FromSeconds(1));

        Assert.Collection(
            effects.Effects,
            e => Assert.Equal(0, Assert.IsType<SentAdvert>(e).Advert.Priority),
            e => Assert.IsType<RemovedAddresses>(e),
            e => Assert.Equal(VrrpState.Stop, Assert.IsType<ChangedState>(e).Change.NewState));
        Assert.Equal(VrrpRouter.Never, router.NextDeadline);
        Assert.Equal(1, router.Stats.PriorityZeroSent);
    }

    [Fact]
    public void Stop_FromBackup_SendsNothing()
    {
        var effects = new RecordingEffects();
        var router = new VrrpRouter(Options(), effects);
        router.Start(T0);

        router.Stop(T0);

        Assert.Empty(effects.Adverts);
        Assert.Equal(VrrpState.Stop, router.State);
    }

    [Fact]
    public void SetFault_BeforeStart_StartsInFaultAndClearingGoesBackup()
    {
        var router = new VrrpRouter(Options(), new RecordingEffects());
        router.SetFault(true, T0);

        router.Start(T0);
        Assert.Equal(VrrpState.Fault, router.State);
        Assert.Equal(VrrpRouter.Never, router.NextDeadline);

        router.SetFault(false, T0 + TimeSpan.FromSeconds(1));
        Assert.Equal(VrrpState.Backup, router.State);
        Assert.True(router.GetSnapshot() is { Fault: false, LastTransitionReason: VrrpTransitionReason.FaultCleared });
    }

    [Fact]
    public void SetFault_Owner_ClearingGoesMasterAtOnce()
    {
        var router = new VrrpRouter(Options(255, o => o with { InitialState = VrrpState.Master }), new RecordingEffects());
        router.Start(T0);
        router.SetFault(true, T0);

        router.SetFault(false, T0);

        Assert.Equal(VrrpState.Master, router.State);
    }

    [Fact]
    public void SetPriority_Owner_Ignored()
    {
        var router = new VrrpRouter(Options(255), new RecordingEffects());

        router.SetPriority(100, T0);

        Assert.Equal(255, router.EffectivePriority);
    }

    [Fact]
    public void SetPriority_Master_NextAdvertCarriesIt()
    {
        var (router, effects) = Master(Options());

        router.SetPriority(300, router.LastTransition);
        router.OnTimer(router.NextDeadline);

        Assert.Equal(254, effects.Adverts.Single().Advert.Priority);
    }

    [Fact]
    public void Constructor_AdjustedOptions_LoggedAsWarnings()
    {
        var logger = new ListLogger();

        var router = new VrrpRouter(Options(100, o => o with { Version = VrrpVersion.V3, AuthType = VrrpAuthType.Pass, AuthPassword = "x", InitialState = VrrpState.Master, NoPreempt = true }), new RecordingEffects(), logger);

        Assert.Equal(VrrpAuthType.None, router.Options.AuthType);
        Assert.False(router.Options.NoPreempt);
        Assert.Equal(2, logger.Entries.Count(e => e.Id == 4007 && e.Level == LogLevel.Warning));
    }

    [Fact]
    public void ChangeState_Logs4001WithStateAndReason()
    {
        var logger = new ListLogger();
        var router = new VrrpRouter(Options(), new RecordingEffects(), logger);

        router.Start(T0);

        Assert.Contains(logger.Entries, e => e.Id == 4001 && e.Message.Contains("Entering BACKUP STATE", StringComparison.Ordinal) && e.Message.Contains("Startup", StringComparison.Ordinal));
    }

    [Fact]
    public void Normalize_Ipv6V2_UsesV3AndRoundsInterval()
    {
        var o = Options(configure: o => o with { PrimaryAddress = IPAddress.Parse("fe80::1"), VirtualAddresses = [IPAddress.Parse("fd77::1"), Vip], AdvertInterval = TimeSpan.FromMilliseconds(1234) });

        VrrpInstanceOptions n = o.Normalize(out IReadOnlyList<string> notes);

        Assert.Equal(VrrpVersion.V3, n.Version);
        Assert.Equal(TimeSpan.FromMilliseconds(1230), n.AdvertInterval);
        Assert.Equal([IPAddress.Parse("fd77::1")], n.VirtualAddresses);
        Assert.Equal([Vip], n.ExcludedAddresses);
        Assert.Equal(3, notes.Count);
    }

    [Fact]
    public void GetSnapshot_Master_ReportsStateAndCounters()
    {
        var (router, _) = Master(Options(150));
        router.OnTimer(router.NextDeadline);

        var snapshot = router.GetSnapshot();

        Assert.Equal(VrrpState.Master, snapshot.State);
        Assert.Equal(150, snapshot.MasterPriority);
        Assert.Equal("10.77.0.5", snapshot.MasterAddress);
        Assert.Equal(2, snapshot.Stats.AdvertsSent);
        Assert.Equal(1, snapshot.Stats.BecameMaster);
        Assert.Equal(0, snapshot.Stats.DroppedByReason["BadChecksum"]);
    }

    [Theory]
    [InlineData("10.77.0.1", "10.77.0.2", -1)]
    [InlineData("10.77.0.10", "10.77.0.9", 1)]
    [InlineData("192.168.0.1", "10.0.0.1", 1)]
    [InlineData("fe80::2", "fe80::10", -1)]
    public void CompareAddresses_AsUnsignedNumbers(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(VrrpRouter.CompareAddresses(IPAddress.Parse(a), IPAddress.Parse(b))));
    }

    private sealed class ListLogger : ILogger
    {
        public List<(int Id, LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((eventId.Id, logLevel, formatter(state, exception)));
    }
}
