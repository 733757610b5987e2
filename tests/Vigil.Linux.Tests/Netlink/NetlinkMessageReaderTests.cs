using Vigil.Linux.Netlink;

namespace Vigil.Linux.Tests.Netlink;

public class NetlinkMessageReaderTests
{
    [Fact]
    public void TryRead_ShortHeader_ReturnsFalseAndMarksMalformed()
    {
        var reader = new NetlinkMessageReader(Hex.Parse("10000000 1400"));
        Assert.False(reader.TryRead(out _));
        Assert.True(reader.Malformed);
    }

    [Fact]
    public void TryRead_LengthBeyondDatagram_ReturnsFalseAndMarksMalformed()
    {
        var reader = new NetlinkMessageReader(Hex.Parse("ff000000 1400 0000 01000000 00000000"));
        Assert.False(reader.TryRead(out _));
        Assert.True(reader.Malformed);
    }

    [Fact]
    public void TryRead_LengthBelowHeader_ReturnsFalseAndMarksMalformed()
    {
        var reader = new NetlinkMessageReader(Hex.Parse("08000000 1400 0000 01000000 00000000"));
        Assert.False(reader.TryRead(out _));
        Assert.True(reader.Malformed);
    }

    [Fact]
    public void Attributes_TruncatedSecondAttribute_YieldsFirstThenStops()
    {
        var attributes = new NetlinkAttributeReader(Hex.Parse("08000100 0a000001 0c000200 0a00"));
        var seen = new List<ushort>();
        while (attributes.MoveNext())
        {
            seen.Add(attributes.Current.Type);
        }
        Assert.Equal([(ushort)1], seen);
        Assert.True(attributes.Malformed);
    }

    [Fact]
    public void Attributes_NestedFlag_IsStrippedFromType()
    {
        var attributes = new NetlinkAttributeReader(Hex.Parse("0c001280 08000100 76657468"));
        Assert.True(attributes.MoveNext());
        Assert.Equal((ushort)18, attributes.Current.Type);
        Assert.True(attributes.Current.IsNested);
        var inner = attributes.Current.Nested;
        Assert.True(inner.MoveNext());
        Assert.Equal("veth", inner.Current.GetString());
    }

    [Fact]
    public void ParseError_WithExtendedAck_ReturnsErrnoAndText()
    {
        // NLMSG_ERROR, flags CAPPED|ACK_TLVS: error -17, the echoed request header, then NLMSGERR_ATTR_MSG.
        var bytes = Hex.Parse(
            "34000000 0200 0003 05000000 aa000000" +
            "efffffff" +
            "3c000000 1400 0506 05000000 00000000" +
            "0f000100 46696c652065786973747300");
        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var message));

        var (errno, detail) = NetlinkSocket.ParseError(message);

        Assert.Equal(Errno.EEXIST, errno);
        Assert.Equal("File exists", detail);
    }

    [Fact]
    public void ParseError_ZeroError_IsAnAck()
    {
        var bytes = Hex.Parse("24000000 0200 0001 05000000 aa000000 00000000 3c000000 1400 0506 05000000 00000000");
        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var message));
        Assert.Equal((Errno.None, (string?)null), NetlinkSocket.ParseError(message));
    }
}
