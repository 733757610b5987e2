using Vigil.Linux.Netlink;

namespace Vigil.Linux.Tests.Netlink;

public class NetlinkMessageWriterTests
{
    [Fact]
    public void EndMessage_WithOddLengthAttribute_PadsToFourAndSetsLength()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(18, NetlinkMessageFlags.Request, sequence: 7);
        writer.AddAttribute(3, "d0"); // 4 + 3 bytes, padded to 8
        writer.EndMessage();

        Assert.Equal(
            "18000000" + "1200" + "0100" + "07000000" + "00000000" + "0700" + "0300" + "64300000",
            Hex.Format(writer.WrittenSpan));
    }

    [Fact]
    public void EndNested_AfterInnerAttributes_SetsNestedLengthAndFlag()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(16, NetlinkMessageFlags.Request, sequence: 1);
        var nest = writer.BeginNested(18);
        writer.AddAttribute(1, "veth");
        writer.EndNested(nest);
        writer.EndMessage();

        var bytes = writer.WrittenSpan[16..].ToArray();
        // nla_len 4 + (4 + 5 + 3 padding) = 16, type 18 | NLA_F_NESTED.
        Assert.Equal("1000" + "1280" + "0900" + "0100" + "7665746800000000", Hex.Format(bytes));
    }

    [Fact]
    public void BeginMessage_Twice_IsBatchedWithBothLengths()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(20, NetlinkMessageFlags.Request, 1);
        writer.AddAttribute(1, 5u);
        writer.EndMessage();
        writer.BeginMessage(21, NetlinkMessageFlags.Request, 2);
        writer.EndMessage();

        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(24u, first.Header.Length);
        Assert.True(reader.TryRead(out var second));
        Assert.Equal((ushort)21, second.Header.Type);
        Assert.Equal(2u, second.Header.Sequence);
        Assert.False(reader.TryRead(out _));
        Assert.False(reader.Malformed);
        Assert.Equal(2, writer.MessageCount);
    }

    [Fact]
    public void EndMessage_WithoutBegin_Throws()
    {
        var writer = new NetlinkMessageWriter();
        Assert.Throws<InvalidOperationException>(writer.EndMessage);
    }
}
