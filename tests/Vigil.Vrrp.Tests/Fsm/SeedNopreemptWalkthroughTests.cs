using System.Net;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;
using Vigil.Vrrp.Tests.Fakes;

namespace Vigil.Vrrp.Tests.Fsm;

/// <summary>
/// The three nopreempt walk-throughs of ../shared/seeds/002 (a blog post on keepalived priorities), on the
/// seed's own instance settings: unicast between 127.0.0.1 and 127.0.0.2, VRID 79, advert_int 1, PASS
/// "codis79", VIP 127.0.0.100, nopreempt on both. keepalived 2.2.7 says for state MASTER + nopreempt:
/// "Warning - nopreempt will not work with initial state MASTER - clearing", which is why case 2 preempts.
/// </summary>
public class SeedNopreemptWalkthroughTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    private static (FakeLan Lan, FakeNode A, FakeNode B) Pair(int priorityA, VrrpState stateA, int priorityB, VrrpState stateB)
    {
        var lan = new FakeLan();
        VrrpInstanceOptions Node(string name, string self, string peer, int priority, VrrpState state) => new()
        {
            Name = "codis_6379",
            VirtualRouterId = 79,
            PrimaryAddress = IPAddress.Parse(self),
            Priority = priority,
            InitialState = state,
            NoPreempt = true,
            AdvertInterval = TimeSpan.FromSeconds(1),
            UnicastPeers = [IPAddress.Parse(peer)],
            AuthType = VrrpAuthType.Pass,
            AuthPassword = "codis79",
            VirtualAddresses = [IPAddress.Parse("127.0.0.100")],
        };
        FakeNode a = lan.Add(Node("A", "127.0.0.1", "127.0.0.2", priorityA, stateA));
        FakeNode b = lan.Add(Node("B", "127.0.0.2", "127.0.0.1", priorityB, stateB));
        return (lan, a, b);
    }

    private static void Step(FakeLan lan, Action action)
    {
        action();
        lan.RunFor(Settle);
    }

    private static void AssertMaster(FakeLan lan, FakeNode expected)
    {
        Assert.Equal([expected.Name], lan.Masters.Select(m => m.Name));
        Assert.True(expected.Effects.HoldsAddresses);
        Assert.All(lan.Nodes.Where(n => n != expected && n.Up), n => Assert.Equal(VrrpState.Backup, n.Router.State));
    }

    [Fact]
    public void Case1_AMaster100_BBackup101_MasterStaysWhereItIsAfterEachRecovery()
    {
        var (lan, a, b) = Pair(100, VrrpState.Master, 101, VrrpState.Backup);
        Assert.False(a.Options.Normalize(out _).NoPreempt);

        Step(lan, a.Boot);
        AssertMaster(lan, a); // 1. A starts alone and becomes MASTER
        Step(lan, b.Boot);
        AssertMaster(lan, a); // 2. B (101, nopreempt) stays BACKUP
        Step(lan, a.Crash);
        AssertMaster(lan, b); // 3. A fails: B takes over
        Step(lan, a.Boot);
        AssertMaster(lan, b); // 4. A (100) returns: lower priority, BACKUP
        Step(lan, b.Crash);
        AssertMaster(lan, a); // 5. B fails: A takes over
        Step(lan, b.Boot);
        AssertMaster(lan, a); // 6. B returns with nopreempt: A stays MASTER
    }

    [Fact]
    public void Case2_AMaster101_BBackup100_ARecoveringPreempts()
    {
        var (lan, a, b) = Pair(101, VrrpState.Master, 100, VrrpState.Backup);

        Step(lan, a.Boot);
        AssertMaster(lan, a); // 1.
        Step(lan, b.Boot);
        AssertMaster(lan, a); // 2.
        Step(lan, a.Crash);
        AssertMaster(lan, b); // 3.
        Step(lan, a.Boot);
        AssertMaster(lan, a); // 4. state MASTER cleared nopreempt: A (101) wins the election again
        Assert.Contains(b.History, c => c is { OldState: VrrpState.Master, NewState: VrrpState.Backup });
    }

    [Fact]
    public void Case3_BothBackupNopreempt_NoFailback()
    {
        var (lan, a, b) = Pair(101, VrrpState.Backup, 100, VrrpState.Backup);

        Step(lan, a.Boot);
        AssertMaster(lan, a); // 1. alone, A goes MASTER after the down timer
        Step(lan, b.Boot);
        AssertMaster(lan, a); // 2.
        Step(lan, a.Crash);
        AssertMaster(lan, b); // 3.
        Step(lan, a.Boot);
        AssertMaster(lan, b); // 4. A (101, nopreempt) accepts B's lower adverts: no failback
        Step(lan, b.Crash);
        AssertMaster(lan, a); // 5.
        Step(lan, b.Boot);
        AssertMaster(lan, a); // 6.
    }
}
