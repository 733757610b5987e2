using System.Net;
using Vigil.Checks.Quorum;
using Vigil.Checks.Runner;

namespace Vigil.Checks.Tests.Quorum;

public class VirtualServerQuorumTests
{
    private static MemberStatus M(int i, bool alive, int weight = 1, bool inhibit = false) => new(new("vs", "rs" + i), alive, weight, inhibit);

    [Fact]
    public void Update_LiveWeightBelowQuorumMinusHysteresis_LosesThenRegainsAtQuorumPlusHysteresis()
    {
        var q = new VirtualServerQuorum(new("vs", Quorum: 4, Hysteresis: 1));
        Assert.Empty(q.Update([M(1, true, 2), M(2, true, 2), M(3, true, 2)], out _));

        Assert.Empty(q.Update([M(1, true, 2), M(2, false, 2), M(3, true, 2)], out _)); // 4: still up
        Assert.Empty(q.Update([M(1, true, 3), M(2, false, 2), M(3, false, 2)], out _)); // 3 = quorum - hysteresis: kept
        var down = q.Update([M(1, true, 2), M(2, false, 2), M(3, false, 2)], out _); // 2 < 3
        Assert.Equal(new QuorumDown("vs", 2), Assert.Single(down));
        Assert.False(q.HasQuorum);

        Assert.Empty(q.Update([M(1, true, 2), M(2, true, 2), M(3, false, 2)], out _)); // 4 < 5
        var up = q.Update([M(1, true, 2), M(2, true, 2), M(3, true, 1)], out _); // 5
        Assert.Equal(new QuorumUp("vs", 5), Assert.Single(up));
    }

    [Fact]
    public void Update_QuorumAboveTotalWeight_IsCappedAtTotal()
    {
        var q = new VirtualServerQuorum(new("vs", Quorum: 100));
        Assert.Empty(q.Update([M(1, true, 2), M(2, true, 3)], out _));
        Assert.Single(q.Update([M(1, false, 2), M(2, true, 3)], out _));
    }

    [Fact]
    public void Update_QuorumLostWithSorryServer_RemovesServersAndAddsSorry()
    {
        var q = new VirtualServerQuorum(new("vs", HasSorryServer: true, SorryServerWeight: 3));
        q.Update([M(1, true), M(2, true, 1, inhibit: true)], out var desired);
        Assert.Equal(2, desired.Count);
        Assert.DoesNotContain(desired, d => d.IsSorryServer);

        var events = q.Update([M(1, false), M(2, false, 1, inhibit: true)], out desired);
        Assert.Equal([new QuorumDown("vs", 0), new SorryServerChanged("vs", true)], events);
        Assert.Equal([new DesiredMember(new("vs", "rs2"), 0), new DesiredMember(null, 3)], desired);

        events = q.Update([M(1, true), M(2, false, 1, inhibit: true)], out desired);
        Assert.Equal([new QuorumUp("vs", 1), new SorryServerChanged("vs", false)], events);
        Assert.Equal([new DesiredMember(new("vs", "rs1"), 1), new DesiredMember(new("vs", "rs2"), 0)], desired);
    }

    [Fact]
    public void Update_SorryServerInhibit_KeepsIdleSorryServerAtWeightZero()
    {
        var q = new VirtualServerQuorum(new("vs", HasSorryServer: true, SorryServerInhibit: true));
        q.Update([M(1, true)], out var desired);
        Assert.Contains(new DesiredMember(null, 0), desired);
    }

    [Fact]
    public void Update_InhibitOnFailure_DeadServerStaysWithWeightZero()
    {
        var q = new VirtualServerQuorum(new("vs"));
        q.Update([M(1, true, 5), M(2, false, 5, inhibit: true), M(3, false, 5)], out var desired);
        Assert.Equal([new DesiredMember(new("vs", "rs1"), 5), new DesiredMember(new("vs", "rs2"), 0)], desired);
    }

    [Fact]
    public void Lines_MatchKeepalivedShapes()
    {
        var vs = LvsNotifyFifo.Service(IPAddress.Parse("10.0.0.1"), ServiceProtocol.Tcp, 80);
        var rs = LvsNotifyFifo.Service(IPAddress.Parse("fd00::2"), ServiceProtocol.Tcp, 8080);
        Assert.Equal("RS [fd00::2]:tcp:8080 [10.0.0.1]:tcp:80 DOWN\n", LvsNotifyFifo.RealServerLine(rs, vs, up: false));
        Assert.Equal("VS [10.0.0.1]:tcp:80 UP\n", LvsNotifyFifo.VirtualServerLine(vs, up: true));
        Assert.Equal("[10.0.0.1]:udp:53", LvsNotifyFifo.Service(IPAddress.Parse("10.0.0.1"), ServiceProtocol.Udp, 53));
    }
}
