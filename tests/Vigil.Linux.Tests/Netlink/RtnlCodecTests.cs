using System.Net;
using System.Net.NetworkInformation;
using Vigil.Linux.Netlink;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Linux.Tests.Netlink;

/// <summary>Golden bytes captured with `strace -e write=3 ip ...` (iproute2 6.x, kernel 6.18) in a lab namespace.</summary>
public class RtnlCodecTests
{
    private const uint CapturedSequence = 0x6b0eaec5;

    // ip addr add 10.77.0.5/24 brd 10.77.0.255 scope link label d0:vip dev d0   (d0 = ifindex 3)
    private const string IpAddrAddIPv4 =
        "3c000000 1400 0506 c5ae0e6b 00000000" +
        "02 18 00 fd 03000000" +
        "08000200 0a4d0005" +
        "08000400 0a4d00ff" +
        "0b000300 64303a7669700000" +
        "08000100 0a4d0005";

    // ip addr add fd77::5/64 dev d0 nodad noprefixroute
    private const string IpAddrAddIPv6 =
        "48000000 1400 0506 c5ae0e6b 00000000" +
        "0a 40 00 00 03000000" +
        "14000200 fd770000000000000000000000000005" +
        "08000800 02020000" +
        "14000100 fd770000000000000000000000000005";

    // ip -4 addr show dev d0: the kernel's RTM_NEWADDR dump reply, then NLMSG_DONE.
    private const string KernelAddressDump =
        "58000000 1400 2200 c6ae0e6b 2d2a0000" +
        "02 18 80 fd 03000000" +
        "08000100 0a4d0005" +
        "08000200 0a4d0005" +
        "08000400 0a4d00ff" +
        "0b000300 64303a7669700000" +
        "08000800 80000000" +
        "14000600 ffffffff ffffffff 61620100 61620100" +
        "14000000 0300 2200 c6ae0e6b 2d2a0000 00000000";

    [Fact]
    public void WriteAddressRequest_IPv4WithBroadcastScopeLabel_MatchesIproute2Bytes()
    {
        var writer = new NetlinkMessageWriter();
        var address = new InterfaceAddress(3, IPAddress.Parse("10.77.0.5"), 24)
        {
            Broadcast = IPAddress.Parse("10.77.0.255"),
            Scope = AddressScope.Link,
            Label = "d0:vip",
        };

        RtnlCodec.WriteAddressRequest(writer, CapturedSequence, address, add: true);

        Assert.Equal(Hex.Format(Hex.Parse(IpAddrAddIPv4)), Hex.Format(writer.WrittenSpan));
    }

    [Fact]
    public void WriteAddressRequest_IPv6NoDadNoPrefixRoute_MatchesIproute2Bytes()
    {
        var writer = new NetlinkMessageWriter();
        var address = new InterfaceAddress(3, IPAddress.Parse("fd77::5"), 64)
        {
            Flags = AddressFlags.NoDad | AddressFlags.NoPrefixRoute,
        };

        RtnlCodec.WriteAddressRequest(writer, CapturedSequence, address, add: true);

        Assert.Equal(Hex.Format(Hex.Parse(IpAddrAddIPv6)), Hex.Format(writer.WrittenSpan));
    }

    [Fact]
    public void WriteAddressRequest_Delete_HasOnlyLocalAndNoCreateFlags()
    {
        var writer = new NetlinkMessageWriter();
        var address = new InterfaceAddress(3, IPAddress.Parse("10.77.0.5"), 24) { Label = "d0:vip" };

        RtnlCodec.WriteAddressRequest(writer, 9, address, add: false);

        Assert.Equal("20000000" + "1500" + "0500" + "09000000" + "00000000" + "02180000" + "03000000" + "08000200" + "0a4d0005",
            Hex.Format(writer.WrittenSpan));
    }

    [Fact]
    public void WriteAddressRequest_PreferredLifetimeZero_AddsCacheInfoWithForeverValid()
    {
        var writer = new NetlinkMessageWriter();
        var address = new InterfaceAddress(2, IPAddress.Parse("fd77::9"), 64) { PreferredLifetime = TimeSpan.Zero };

        RtnlCodec.WriteAddressRequest(writer, 1, address, add: true);

        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        Assert.True(reader.TryRead(out var message));
        var cacheInfo = FindAttribute(message, IfAddrMsg.Size, 6);
        Assert.Equal("00000000ffffffff0000000000000000", cacheInfo);
    }

    [Fact]
    public void TryParseAddress_KernelDump_ReadsEveryField()
    {
        var reader = new NetlinkMessageReader(Hex.Parse(KernelAddressDump));
        Assert.True(reader.TryRead(out var message));

        Assert.True(RtnlCodec.TryParseAddress(message, out var address));

        Assert.Equal(new InterfaceAddress(3, IPAddress.Parse("10.77.0.5"), 24)
        {
            Broadcast = IPAddress.Parse("10.77.0.255"),
            Scope = AddressScope.Link,
            Label = "d0:vip",
            Flags = AddressFlags.Permanent,
        }, address);
        Assert.True(reader.TryRead(out var done));
        Assert.Equal(NetlinkMessageType.Done, done.Header.Type);
    }

    [Fact]
    public void TryParseAddress_IPv6WithOnlyIfaAddress_UsesItAsLocal()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(RtmType.NewAddr, NetlinkMessageFlags.Multi, 1);
        writer.Write(new IfAddrMsg { Family = 10, PrefixLength = 64, Scope = 253, Index = 4 });
        writer.AddAttribute(IfaAttribute.Address, IPAddress.Parse("fe80::1").GetAddressBytes());
        writer.AddAttribute(IfaAttribute.Flags, 0x80u);
        writer.EndMessage();
        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        Assert.True(reader.TryRead(out var message));

        Assert.True(RtnlCodec.TryParseAddress(message, out var address));

        Assert.Equal(IPAddress.Parse("fe80::1"), address.Address);
        Assert.Null(address.Peer);
        Assert.Equal(AddressScope.Link, address.Scope);
        Assert.Equal(4, address.InterfaceIndex);
    }

    [Fact]
    public void TryParseAddress_TruncatedFamilyHeader_ReturnsFalse()
    {
        var reader = new NetlinkMessageReader(Hex.Parse("14000000 1400 0200 01000000 00000000 020a0000"));
        Assert.True(reader.TryRead(out var message));
        Assert.False(RtnlCodec.TryParseAddress(message, out _));
    }

    [Fact]
    public void WriteGetLink_ByName_MatchesIproute2BytesWithAckFlag()
    {
        // `ip link show d0` sends the same request without NLM_F_ACK (flags 0x0001); we ask for the ack.
        const string expected = "30000000 1200 0500 01000000 00000000 00000000 00000000 00000000 00000000 08001d00 09000000 07000300 64300000";
        var writer = new NetlinkMessageWriter();

        RtnlCodec.WriteGetLink(writer, 1, 0, "d0");

        Assert.Equal(Hex.Format(Hex.Parse(expected)), Hex.Format(writer.WrittenSpan));
    }

    [Fact]
    public void TryParseLink_VethWithKindAndMac_ReadsFields()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(RtmType.NewLink, NetlinkMessageFlags.None, 0);
        writer.Write(new IfInfoMsg { Family = 0, Type = 1, Index = 6, Flags = 0x11043 });
        writer.AddAttribute(IflaAttribute.IfName, "va");
        writer.AddAttribute(IflaAttribute.Mtu, 1500u);
        writer.AddAttribute(IflaAttribute.Address, Hex.Parse("86c6150dd617"));
        writer.AddAttribute(IflaAttribute.OperState, (byte)6);
        writer.AddAttribute(IflaAttribute.Link, 5u);
        var nest = writer.BeginNested(IflaAttribute.LinkInfo);
        writer.AddAttribute(IflaAttribute.InfoKind, "veth");
        writer.EndNested(nest);
        writer.EndMessage();
        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        Assert.True(reader.TryRead(out var message));

        Assert.True(RtnlCodec.TryParseLink(message, out var link));

        Assert.Equal(new LinkInfo(6, "va", LinkFlags.Up | LinkFlags.Broadcast | LinkFlags.Running | LinkFlags.Multicast | LinkFlags.LowerUp,
            1500, PhysicalAddress.Parse("86-C6-15-0D-D6-17"), "veth")
        {
            OperationalState = LinkOperationalState.Up,
            LinkIndex = 5,
            DeviceType = 1,
        }, link);
        Assert.True(link.IsUp && link.IsRunning && link.HasCarrier);
    }

    [Fact]
    public void TryParseLink_WithoutName_ReturnsFalse()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(RtmType.NewLink, NetlinkMessageFlags.None, 0);
        writer.Write(new IfInfoMsg { Index = 6 });
        writer.EndMessage();
        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        Assert.True(reader.TryRead(out var message));
        Assert.False(RtnlCodec.TryParseLink(message, out _));
    }

    private static string? FindAttribute(in NetlinkMessage message, int headerSize, ushort type)
    {
        foreach (var attribute in message.Attributes(headerSize))
        {
            if (attribute.Type == type)
            {
                return Hex.Format(attribute.Value);
            }
        }
        return null;
    }
}
