using System.Net;
using Vigil.Linux.Netlink;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Linux.Tests.Netlink;

public class RouteNetlinkEventsParseTests
{
    [Fact]
    public void Parse_GarbageDatagram_YieldsNoEvents()
    {
        Assert.Empty(RouteNetlinkEvents.Parse(Hex.Parse("ffff0000 1000 0000")));
    }

    [Fact]
    public void Parse_DelAddrAndOverrun_YieldsRemovedThenLost()
    {
        var writer = new NetlinkMessageWriter();
        RtnlCodec.WriteAddressRequest(writer, 1, new InterfaceAddress(3, IPAddress.Parse("10.77.0.100"), 24), add: false);
        writer.BeginMessage(NetlinkMessageType.Overrun, NetlinkMessageFlags.None, 0);
        writer.EndMessage();

        var events = RouteNetlinkEvents.Parse(writer.WrittenSpan);

        Assert.Collection(events,
            e => Assert.Equal(new AddressEvent(AddressEventKind.Removed, new InterfaceAddress(3, IPAddress.Parse("10.77.0.100"), 24)), e),
            e => Assert.IsType<EventsLost>(e));
    }

    [Fact]
    public void Parse_NewLinkAndDelLink_YieldsChangedAndRemoved()
    {
        var writer = new NetlinkMessageWriter();
        foreach (var type in new[] { RtmType.NewLink, RtmType.DelLink })
        {
            writer.BeginMessage(type, NetlinkMessageFlags.None, 0);
            writer.Write(new IfInfoMsg { Index = 4, Flags = 1 });
            writer.AddAttribute(IflaAttribute.IfName, "eth1");
            writer.EndMessage();
        }

        var events = RouteNetlinkEvents.Parse(writer.WrittenSpan).Cast<LinkEvent>().ToList();

        Assert.Equal([LinkEventKind.Changed, LinkEventKind.Removed], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal("eth1", e.Link.Name));
    }
}
