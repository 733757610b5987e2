using System.Net;
using Vigil.Balancing;
using Vigil.Balancing.Model;
using Vigil.Linux.Nftables;

namespace Vigil.Tests.Balancing;

public class NftablesBackendTests
{
    private static readonly ServiceKey Web = ServiceKey.ForAddress(IPAddress.Parse("10.77.0.100"), 80, ServiceProtocol.Tcp);

    private static VirtualServerModel Vs(ServiceSpec spec, ForwardingMethod method = ForwardingMethod.Nat) => new(
        "[10.77.0.100]:tcp:80", [Web], spec,
        [new RealServerModel(new DestinationKey(IPAddress.Parse("10.77.0.11"), 80), new DestinationSpec(method, 1))]);

    [Theory]
    [InlineData("rr")]
    [InlineData("wrr")]
    [InlineData("sh")]
    [InlineData("dh")]
    [InlineData("mh")]
    [InlineData("fo")]
    public void Check_ExpressibleScheduler_NoErrors(string scheduler)
    {
        Assert.Empty(NftablesBackend.Check(Vs(ServiceSpec.Create(scheduler))));
    }

    [Fact]
    public void Check_PersistenceAndDr_EachReported()
    {
        var errors = NftablesBackend.Check(Vs(ServiceSpec.Create("rr", persistenceTimeout: TimeSpan.FromSeconds(50)), ForwardingMethod.DirectRoute));

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("persistence_timeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("lvs_method DR", StringComparison.Ordinal));
    }

    [Fact]
    public void ToServices_ShPortFlag_HashesPortAndKeepsWeights()
    {
        var dests = new Dictionary<DestinationKey, DestinationSpec>
        {
            [new(IPAddress.Parse("10.77.0.12"), 8080)] = new(ForwardingMethod.Nat, 2),
            [new(IPAddress.Parse("10.77.0.11"), 8080)] = new(ForwardingMethod.Nat, 0),
        };
        var state = DataPlaneState.From([new ServiceState(Web, ServiceSpec.Create("sh", ["sh-port"]), dests)]);

        var service = Assert.Single(NftablesBackend.ToServices(state));

        Assert.Equal(NftScheduler.SourceHash, service.Scheduler);
        Assert.True(service.HashPort);
        Assert.Equal([("10.77.0.11", 0), ("10.77.0.12", 2)], service.Backends.Select(b => (b.Address.ToString(), b.Weight)));
    }
}
