using System.Net;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Linux.Tests.Kernel;

public sealed class RouteNetlinkEventsKernelTests : IDisposable
{
    // Events are queued during the `ip` call that causes them; the bound only catches a missing one.
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(5);

    private readonly LabPair _lab;
    private readonly NetworkNamespace _a;

    public RouteNetlinkEventsKernelTests()
    {
        _lab = LabPair.Create();
        _a = NetworkNamespace.Open(_lab.A);
    }

    [Fact]
    public async Task ReadAllAsync_LinkSetDown_YieldsChangedEventWithoutUp()
    {
        using var events = RouteNetlinkEvents.Open([RtnlGroup.Link], _a);

        LabPair.Ip($"-n {_lab.A} link set va down");
        var down = await FirstAsync<LinkEvent>(events, e => e.Link.Name == "va" && !e.Link.IsUp);

        Assert.Equal(LinkEventKind.Changed, down.Kind);
        Assert.False(down.Link.HasCarrier);
    }

    [Fact]
    public async Task ReadAllAsync_PeerSetDown_YieldsCarrierLossOnOurSide()
    {
        using var events = RouteNetlinkEvents.Open([RtnlGroup.Link], _a);

        LabPair.Ip($"-n {_lab.B} link set vb down");
        var lost = await FirstAsync<LinkEvent>(events, e => e.Link.Name == "va" && !e.Link.HasCarrier);

        Assert.True(lost.Link.IsUp); // administratively still up: only the carrier went
        Assert.False(lost.Link.IsRunning);
    }

    [Fact]
    public async Task ReadAllAsync_AddressAddedAndRemoved_YieldsBothEvents()
    {
        using var events = RouteNetlinkEvents.Open([RtnlGroup.IPv4Address, RtnlGroup.IPv6Address], _a);

        LabPair.Ip($"-n {_lab.A} addr add 10.77.0.77/24 dev va label va:ev");
        var added = await FirstAsync<AddressEvent>(events, e => e.Address.Address.Equals(IPAddress.Parse("10.77.0.77")));
        LabPair.Ip($"-n {_lab.A} addr del 10.77.0.77/24 dev va");
        var removed = await FirstAsync<AddressEvent>(events, e => e.Kind == AddressEventKind.Removed);

        Assert.Equal(AddressEventKind.Added, added.Kind);
        Assert.Equal("va:ev", added.Address.Label);
        Assert.Equal(IPAddress.Parse("10.77.0.77"), removed.Address.Address);
    }

    [Fact]
    public async Task ReadAllAsync_LinkDeleted_YieldsRemoved()
    {
        using var events = RouteNetlinkEvents.Open([RtnlGroup.Link], _a);

        LabPair.Ip($"-n {_lab.A} link del va");
        var removed = await FirstAsync<LinkEvent>(events, e => e.Kind == LinkEventKind.Removed && e.Link.Name == "va");

        Assert.Equal("va", removed.Link.Name);
    }

    public void Dispose()
    {
        _a.Dispose();
        _lab.Dispose();
    }

    private static async Task<T> FirstAsync<T>(RouteNetlinkEvents events, Func<T, bool> match)
        where T : RouteNetlinkEvent
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        var seen = 0;
        await foreach (var e in events.ReadAllAsync(timeout.Token))
        {
            if (e is T typed && match(typed))
            {
                return typed;
            }
            if (++seen > 1000)
            {
                break;
            }
        }
        throw new InvalidOperationException($"no matching {typeof(T).Name} among {seen} events");
    }
}
