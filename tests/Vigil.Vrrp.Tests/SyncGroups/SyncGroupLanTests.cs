using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.SyncGroups;
using Vigil.Vrrp.Tests.Fakes;

namespace Vigil.Vrrp.Tests.SyncGroups;

/// <summary>
/// Two hosts, each with a sync group of two instances (VRID 51 "X" and 52 "Y"), on the fake LAN: the members
/// of a group move together as keepalived 2.2.7 moves them (vrrp_sync.c, observed in the lab).
/// </summary>
public class SyncGroupLanTests
{
    private sealed record Host(string Name, FakeNode X, FakeNode Y, VrrpSyncGroup Group)
    {
        public IEnumerable<FakeNode> Nodes => [X, Y];

        public bool MasterOfBoth => X.Router.State == VrrpState.Master && Y.Router.State == VrrpState.Master;

        public bool BackupOfBoth => X.Router.State == VrrpState.Backup && Y.Router.State == VrrpState.Backup;

        public void Boot()
        {
            X.Boot();
            Y.Boot();
        }

        public void Crash()
        {
            X.Crash();
            Y.Crash();
        }
    }

    private static Host AddHost(FakeLan lan, string name, string address, int priorityX, int priorityY, bool grouped = true)
    {
        FakeNode x = lan.Add(name + "X", priorityX, address, o => o with { Name = "X" });
        FakeNode y = lan.Add(name + "Y", priorityY, address, o => o with { Name = "Y", VirtualRouterId = 52, VirtualAddresses = [System.Net.IPAddress.Parse("10.77.0.101")] });
        var group = new VrrpSyncGroup("G", ["X", "Y"]);
        if (grouped)
        {
            foreach (FakeNode n in new[] { x, y })
            {
                // What the daemon's TrackingHost does: attach before start, record the state, then pull the others.
                n.BeforeStart = node => group.Attach(node.Router);
                n.OnChange = (node, change) =>
                {
                    group.OnMemberState(change.Name, change.NewState);
                    group.Synchronize(change, lan.Now);
                };
            }
        }

        return new Host(name, x, y, group);
    }

    private static bool SameHost(FakeNode a, FakeNode b) => a.Options.PrimaryAddress.Equals(b.Options.PrimaryAddress);

    [Fact]
    public void PeerRaisesOneMembersPriority_MemberHeldInBackup_BothVipsStay()
    {
        var lan = new FakeLan();
        Host a = AddHost(lan, "a", "10.77.0.1", 100, 100);
        Host b = AddHost(lan, "b", "10.77.0.2", 110, 90);
        a.Boot();
        lan.RunFor(TimeSpan.FromSeconds(5));
        Assert.True(a.MasterOfBoth);

        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(30));

        // b's X would win its own election (110 > 100) but b's Y follows a's Y: the group prefers BACKUP.
        Assert.True(a.MasterOfBoth);
        Assert.True(b.BackupOfBoth);
        Assert.True(b.X.Router.TakeoverHeld);
        Assert.False(b.Y.Router.WantsMaster);
        Assert.DoesNotContain(b.X.History, c => c.NewState == VrrpState.Master);
    }

    [Fact]
    public void PeerRaisesOneMembersPriority_NoSyncGroup_ThatMemberAloneTakesOver()
    {
        // The control for the test above: the hold comes from the group, not from the election.
        var lan = new FakeLan();
        Host a = AddHost(lan, "a", "10.77.0.1", 100, 100, grouped: false);
        Host b = AddHost(lan, "b", "10.77.0.2", 110, 90, grouped: false);
        a.Boot();
        lan.RunFor(TimeSpan.FromSeconds(5));
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(30));

        Assert.Equal(VrrpState.Master, b.X.Router.State);
        Assert.Equal(VrrpState.Master, a.Y.Router.State);
    }

    [Fact]
    public void MasterCrashes_FirstMemberHeldUntilSecondWantsMaster_BothTakeOverAtOnce()
    {
        var lan = new FakeLan();
        Host a = AddHost(lan, "a", "10.77.0.1", 200, 200);
        Host b = AddHost(lan, "b", "10.77.0.2", 150, 50);
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.True(a.MasterOfBoth);
        Assert.True(b.BackupOfBoth);

        a.X.TrackSends(lan);
        lan.RunFor(TimeSpan.FromMilliseconds(500));
        TimeSpan crashedAt = lan.Now;
        a.Crash();
        lan.RunFor(TimeSpan.FromSeconds(10));

        Assert.True(b.MasterOfBoth);
        TimeSpan xAt = b.X.History.Last(c => c.NewState == VrrpState.Master).At;
        TimeSpan yAt = b.Y.History.Last(c => c.NewState == VrrpState.Master).At;
        // X (150) times out first and is held; Y (50) times out (3 s + 206/256 s after its last advert) and pulls X.
        Assert.Equal(yAt, xAt);
        Assert.Equal(VrrpTransitionReason.SyncGroup, b.X.History[^1].Reason);
        Assert.Equal(VrrpTransitionReason.MasterDownTimerExpired, b.Y.History[^1].Reason);
        Assert.InRange(yAt - crashedAt, TimeSpan.FromSeconds(3 + (206.0 / 256) - 1), TimeSpan.FromSeconds(3 + (206.0 / 256)));
    }

    [Fact]
    public void PartitionHeals_MixedPriorities_BothVipsEndOnOneHostAndPulledMasterSendsNoPriorityZero()
    {
        var lan = new FakeLan();
        Host a = AddHost(lan, "a", "10.77.0.1", 100, 100);
        Host b = AddHost(lan, "b", "10.77.0.2", 110, 90);
        a.Boot();
        b.Boot();
        lan.Blocked = (from, to) => !SameHost(from, to);
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.True(a.MasterOfBoth && b.MasterOfBoth, string.Join("; ", a.Nodes.Concat(b.Nodes).SelectMany(n => n.History.Select(c => $"{n.Name} {c.NewState} {c.Reason} {c.At}"))));

        lan.Blocked = null;
        lan.RunFor(TimeSpan.FromSeconds(30));

        // Without the group, X would end on b and Y on a. keepalived compat: the member that meets a higher
        // priority goes BACKUP and pulls its partner along, so one host keeps both.
        Assert.True((a.MasterOfBoth && b.BackupOfBoth) || (b.MasterOfBoth && a.BackupOfBoth), $"a {a.X.Router.State}/{a.Y.Router.State}, b {b.X.Router.State}/{b.Y.Router.State}");
        FakeNode[] all = [.. a.Nodes, .. b.Nodes];
        Assert.Contains(all, n => n.History.Any(c => c.Reason == VrrpTransitionReason.SyncGroup && c.NewState == VrrpState.Backup));
        Assert.All(all, n => Assert.Equal(0, n.Router.Stats.PriorityZeroSent));
        Assert.All(all, n => Assert.Equal(n.Router.State == VrrpState.Master, n.Effects.HoldsAddresses));
    }

    [Fact]
    public void EveryMemberFaultsThenClears_GroupLeavesFaultTogetherAndRetakesBoth()
    {
        var lan = new FakeLan();
        Host a = AddHost(lan, "a", "10.77.0.1", 200, 200);
        Host b = AddHost(lan, "b", "10.77.0.2", 100, 100);
        a.Boot();
        b.Boot();
        lan.RunFor(TimeSpan.FromSeconds(10));

        // The host gives every member the group fault when one member's tracker fails.
        Assert.True(a.Group.SetMemberFault("X", true));
        foreach (FakeNode n in a.Nodes)
        {
            n.Router.SetFault(a.Group.Fault, lan.Now);
        }

        lan.RunFor(TimeSpan.FromSeconds(5));
        Assert.True(b.MasterOfBoth);
        Assert.Equal(VrrpState.Fault, a.Group.State);
        Assert.Equal(1, a.X.Router.Stats.PriorityZeroSent);
        Assert.Equal(1, a.Y.Router.Stats.PriorityZeroSent);

        Assert.False(a.Group.SetMemberFault("X", false));
        foreach (FakeNode n in a.Nodes)
        {
            n.Router.SetFault(a.Group.Fault, lan.Now);
        }

        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.True(a.MasterOfBoth);
        Assert.True(b.BackupOfBoth);
        Assert.Equal(VrrpState.Master, a.Group.State);
    }
}
