using System.Net;
using System.Net.Sockets;
using Vigil.Balancing.Model;
using static Vigil.Balancing.Tests.Fixtures;

namespace Vigil.Balancing.Tests.Model;

public class DesiredStateBuilderTests
{
    private static readonly DestinationKey Sorry = Rs(99);

    private static VirtualServerModel Vs(bool inhibit = false, bool sorry = false, bool sorryInhibit = false) => new(
        "vs1",
        [Web],
        Wrr,
        [
            new RealServerModel(Rs(11), new DestinationSpec(ForwardingMethod.Nat, 3), inhibit),
            new RealServerModel(Rs(12), new DestinationSpec(ForwardingMethod.Nat, 1), inhibit),
        ],
        sorry ? new SorryServerModel(Sorry, ForwardingMethod.Nat) : null,
        sorryInhibit);

    private static VirtualServerHealth Health(bool sorryActive, params (DestinationKey Key, bool Alive, int Weight)[] servers) =>
        new(sorryActive, servers.ToDictionary(s => s.Key, s => new RealServerHealthView(s.Alive, s.Weight)));

    private static Dictionary<DestinationKey, int> Weights(VirtualServerModel vs, VirtualServerHealth h) =>
        DesiredStateBuilder.Destinations(vs, h).ToDictionary(d => d.Key, d => d.Value.Weight);

    [Fact]
    public void Destinations_NoHealthYet_AllAtConfiguredWeight()
    {
        Assert.Equal(new Dictionary<DestinationKey, int> { [Rs(11)] = 3, [Rs(12)] = 1 }, Weights(Vs(), VirtualServerHealth.AllAlive));
    }

    [Fact]
    public void Destinations_DeadServer_Removed()
    {
        var h = Health(false, (Rs(11), true, 3), (Rs(12), false, 1));
        Assert.Equal(new Dictionary<DestinationKey, int> { [Rs(11)] = 3 }, Weights(Vs(), h));
    }

    [Fact]
    public void Destinations_DeadServerWithInhibitOnFailure_KeptAtWeightZero()
    {
        var h = Health(false, (Rs(11), true, 3), (Rs(12), false, 1));
        Assert.Equal(new Dictionary<DestinationKey, int> { [Rs(11)] = 3, [Rs(12)] = 0 }, Weights(Vs(inhibit: true), h));
    }

    [Fact]
    public void Destinations_MiscDynamicWeight_Used()
    {
        var h = Health(false, (Rs(11), true, 7), (Rs(12), true, 1));
        Assert.Equal(7, Weights(Vs(), h)[Rs(11)]);
    }

    [Fact]
    public void Destinations_SorryServerActive_ReplacesRealServers()
    {
        var h = Health(true, (Rs(11), false, 3), (Rs(12), false, 1));
        Assert.Equal(new Dictionary<DestinationKey, int> { [Sorry] = 1 }, Weights(Vs(sorry: true), h));
    }

    [Fact]
    public void Destinations_SorryServerActiveWithInhibitedServers_ServersIdleAtZero()
    {
        var h = Health(true, (Rs(11), true, 3), (Rs(12), false, 1));
        Assert.Equal(new Dictionary<DestinationKey, int> { [Rs(11)] = 0, [Rs(12)] = 0, [Sorry] = 1 }, Weights(Vs(inhibit: true, sorry: true), h));
    }

    [Fact]
    public void Destinations_SorryServerInhibitWhileQuorate_SorryAtZero()
    {
        var h = Health(false, (Rs(11), true, 3), (Rs(12), true, 1));
        Assert.Equal(new Dictionary<DestinationKey, int> { [Rs(11)] = 3, [Rs(12)] = 1, [Sorry] = 0 }, Weights(Vs(sorry: true, sorryInhibit: true), h));
        Assert.DoesNotContain(Sorry, Weights(Vs(sorry: true), h).Keys);
    }

    [Fact]
    public void Build_GroupServices_AllGetTheSameDestinations()
    {
        var keys = ServiceKeys.Range(IPAddress.Parse("10.77.0.100"), IPAddress.Parse("10.77.0.102"), 80, ServiceProtocol.Tcp);
        var vs = Vs() with { Services = [.. keys, ServiceKey.ForFwmark(5, AddressFamily.InterNetwork)] };

        var state = DesiredStateBuilder.Build([vs], _ => null, out var problems);

        Assert.Empty(problems);
        Assert.Equal(4, state.Services.Count);
        Assert.All(state.Services.Values, s => Assert.Equal(2, s.Destinations.Count));
    }

    [Fact]
    public void Build_ServiceClaimedTwice_FirstWinsAndProblemReported()
    {
        var second = Vs() with { Name = "vs2", RealServers = [] };

        var state = DesiredStateBuilder.Build([Vs(), second], _ => null, out var problems);

        Assert.Equal(2, Assert.Single(state.Services.Values).Destinations.Count);
        Assert.Contains("vs2", Assert.Single(problems), StringComparison.Ordinal);
    }
}
