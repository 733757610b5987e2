using System.Net;
using Vigil.Balancing.Model;

namespace Vigil.Balancing.Tests;

internal static class Fixtures
{
    public static readonly ServiceKey Web = ServiceKey.ForAddress(IPAddress.Parse("10.77.0.100"), 80, ServiceProtocol.Tcp);

    public static DestinationKey Rs(int last, int port = 80) => new(IPAddress.Parse($"10.77.0.{last}"), port);

    public static ServiceSpec Wrr => ServiceSpec.Create("wrr");

    public static ServiceState Service(ServiceKey key, ServiceSpec spec, params (DestinationKey Key, int Weight)[] dests) =>
        new(key, spec, dests.ToDictionary(d => d.Key, d => new DestinationSpec(ForwardingMethod.Nat, d.Weight)));

    public static DataPlaneState State(params ServiceState[] services) => DataPlaneState.From(services);
}
