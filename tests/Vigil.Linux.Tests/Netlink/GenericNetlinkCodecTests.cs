using Vigil.Linux.Netlink;
using Vigil.Linux.Netlink.Generic;

namespace Vigil.Linux.Tests.Netlink;

/// <summary>Golden bytes from `strace -e write=3 -e read=3 genl ctrl get name nlctrl` on kernel 6.18.</summary>
public class GenericNetlinkCodecTests
{
    private const string KernelReply =
        "88000000 1000 0000 48b60e6b e14e0000" +
        "01020000 0b000200 6e6c637472 6c0000" +
        "06000100 10000000 08000300 02000000" +
        "08000400 00000000 08000500 00000000" +
        "2c000600 14000100 08000100 03000000" +
        "08000200 0e000000 14000200 08000100" +
        "0a000000 08000200 0c000000 1c000700" +
        "18000100 08000200 10000000 0b000100" +
        "6e6f7469 66790000";

    [Fact]
    public void WriteGetFamily_Nlctrl_MatchesGenlBytes()
    {
        const string expected = "20000000 1000 0500 48b60e6b 00000000 03000000 0b000200 6e6c6374726c0000";
        var writer = new NetlinkMessageWriter();

        GenericNetlinkCodec.WriteGetFamily(writer, 0x6b0eb648, "nlctrl");

        Assert.Equal(Hex.Format(Hex.Parse(expected)), Hex.Format(writer.WrittenSpan));
    }

    [Fact]
    public void TryParseFamily_KernelReply_ReadsIdVersionAndGroups()
    {
        var reader = new NetlinkMessageReader(Hex.Parse(KernelReply));
        Assert.True(reader.TryRead(out var message));

        Assert.True(GenericNetlinkCodec.TryParseFamily(message, out var family));

        Assert.Equal("nlctrl", family.Name);
        Assert.Equal(0x10, family.Id);
        Assert.Equal(2u, family.Version);
        Assert.Equal(0x10u, Assert.Contains("notify", family.MulticastGroups));
    }

    [Fact]
    public void TryParseFamily_WithoutId_ReturnsFalse()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(GenericNetlinkCodec.ControllerId, NetlinkMessageFlags.None, 1);
        writer.Write(new GenlMsgHdr { Command = 1, Version = 2 });
        writer.AddAttribute(2, "IPVS");
        writer.EndMessage();
        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        Assert.True(reader.TryRead(out var message));

        Assert.False(GenericNetlinkCodec.TryParseFamily(message, out _));
    }
}
