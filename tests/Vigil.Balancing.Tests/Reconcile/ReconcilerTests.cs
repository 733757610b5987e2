using System.Net;
using System.Net.Sockets;
using Vigil.Balancing.Model;
using Vigil.Balancing.Reconcile;
using static Vigil.Balancing.Tests.Fixtures;

namespace Vigil.Balancing.Tests.Reconcile;

public class ReconcilerTests
{
    private static readonly Func<ServiceKey, bool> All = _ => true;

    [Fact]
    public void Diff_EmptyKernel_AddsServiceThenItsDestinationsInOrder()
    {
        var desired = State(Service(Web, Wrr, (Rs(12), 1), (Rs(11), 3)));

        var commands = Reconciler.Diff(desired, DataPlaneState.Empty, All);

        Assert.Collection(commands,
            c => Assert.Equal(new AddService(Web, Wrr), c),
            c => Assert.Equal(new AddDestination(Web, Rs(11), new DestinationSpec(ForwardingMethod.Nat, 3)), c),
            c => Assert.Equal(new AddDestination(Web, Rs(12), new DestinationSpec(ForwardingMethod.Nat, 1)), c));
    }

    [Fact]
    public void Diff_SameState_IsEmpty()
    {
        var desired = State(Service(Web, Wrr, (Rs(11), 3), (Rs(12), 1)));
        var kernel = State(Service(Web, ServiceSpec.Create("wrr"), (Rs(12), 1), (Rs(11), 3)));

        Assert.Empty(Reconciler.Diff(desired, kernel, All));
    }

    [Fact]
    public void Diff_WeightChangedAndServerGone_UpdatesBeforeDeleting()
    {
        var kernel = State(Service(Web, Wrr, (Rs(11), 3), (Rs(12), 1), (Rs(13), 1)));
        var desired = State(Service(Web, Wrr, (Rs(11), 0), (Rs(12), 1), (Rs(14), 2)));

        var commands = Reconciler.Diff(desired, kernel, All);

        Assert.Equal(
            [
                new UpdateDestination(Web, Rs(11), new DestinationSpec(ForwardingMethod.Nat, 0)),
                new AddDestination(Web, Rs(14), new DestinationSpec(ForwardingMethod.Nat, 2)),
                new DeleteDestination(Web, Rs(13)),
            ],
            commands);
    }

    [Fact]
    public void Diff_SchedulerChanged_UpdatesServiceInPlaceWithoutTouchingDestinations()
    {
        var kernel = State(Service(Web, Wrr, (Rs(11), 1)));
        var desired = State(Service(Web, ServiceSpec.Create("sh", ["sh-port"]), (Rs(11), 1)));

        var command = Assert.Single(Reconciler.Diff(desired, kernel, All));

        Assert.Equal(new UpdateService(Web, ServiceSpec.Create("sh", ["sh-port"])), command);
    }

    [Fact]
    public void Diff_ForeignServiceInKernel_IsLeftAlone()
    {
        var foreign = ServiceKey.ForAddress(IPAddress.Parse("10.77.0.200"), 443, ServiceProtocol.Tcp);
        var mine = ServiceKey.ForFwmark(7, AddressFamily.InterNetwork);
        var kernel = State(Service(foreign, Wrr, (Rs(11), 1)), Service(mine, Wrr, (Rs(11), 1)));

        var commands = Reconciler.Diff(DataPlaneState.Empty, kernel, k => k == mine);

        Assert.Equal([new DeleteService(mine)], commands);
    }

    [Fact]
    public void Diff_ServicesAddedBeforeServicesDeleted()
    {
        var old = ServiceKey.ForAddress(IPAddress.Parse("10.77.0.101"), 80, ServiceProtocol.Tcp);
        var commands = Reconciler.Diff(State(Service(Web, Wrr)), State(Service(old, Wrr)), All);

        Assert.Equal([new AddService(Web, Wrr), new DeleteService(old)], commands);
    }

    [Fact]
    public void Apply_DiffOfRandomStates_ConvergesAndSecondDiffIsEmpty()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var desired = RandomState(random);
            var kernel = RandomState(random);

            var after = Reconciler.Apply(kernel, Reconciler.Diff(desired, kernel, All));

            Assert.Empty(Reconciler.Diff(desired, after, All));
            Assert.Equal(desired.Services.Count, after.Services.Count);
            Assert.Equal(desired.DestinationCount, after.DestinationCount);
        }
    }

    [Fact]
    public void Apply_DeleteMissingService_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Reconciler.Apply(DataPlaneState.Empty, [new DeleteService(Web)]));
    }

    private static DataPlaneState RandomState(Random random)
    {
        string[] schedulers = ["rr", "wrr", "sh"];
        var services = new List<ServiceState>();
        for (var s = 0; s < 5; s++)
        {
            if (random.Next(2) == 0) continue;
            var key = ServiceKey.ForAddress(IPAddress.Parse($"10.77.0.{100 + s}"), 80, ServiceProtocol.Tcp);
            var dests = Enumerable.Range(10, 6).Where(_ => random.Next(2) == 0).Select(i => (Rs(i), random.Next(0, 3))).ToArray();
            services.Add(Service(key, ServiceSpec.Create(schedulers[random.Next(3)]), dests));
        }
        return DataPlaneState.From(services);
    }
}
