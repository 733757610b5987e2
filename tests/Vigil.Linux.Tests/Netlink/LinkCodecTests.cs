using System.Net.NetworkInformation;
using Vigil.Linux.Netlink;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Linux.Tests.Netlink;

/// <summary>Golden bytes from `strace -e write=3 ip link ...` (d0 = ifindex 3, mv0 = ifindex 4).</summary>
public class LinkCodecTests
{
    private const uint Sequence = 0x6b0eb8a3;

    [Fact]
    public void WriteCreateMacvlan_PrivateWithVmac_MatchesIproute2Bytes()
    {
        // ip link add mv0 link d0 address 00:00:5e:00:01:33 type macvlan mode private
        const string expected =
            "58000000 1000 0506 a3b80e6b 00000000 00000000 00000000 00000000 00000000" +
            "0a000100 00005e000133 0000 08000500 03000000 08000300 6d763000" +
            "1c001200 0b000100 6d6163766c616e00 0c000200 08000100 01000000";

        Assert.Equal(Hex.Format(Hex.Parse(expected)), Write((w, s) =>
            LinkCodec.WriteCreateMacvlan(w, s, "mv0", 3, PhysicalAddress.Parse("00-00-5E-00-01-33"), MacvlanMode.Private)));
    }

    [Fact]
    public void WriteSetUp_Up_MatchesIproute2Bytes()
    {
        // ip link set d0 up
        Assert.Equal(Hex.Format(Hex.Parse("20000000 1000 0500 a3b80e6b 00000000 00000000 03000000 01000000 01000000")),
            Write((w, s) => LinkCodec.WriteSetUp(w, s, 3, up: true)));
    }

    [Fact]
    public void WriteDelete_Index_MatchesIproute2Bytes()
    {
        // ip link del mv0
        Assert.Equal(Hex.Format(Hex.Parse("20000000 1100 0500 a3b80e6b 00000000 00000000 04000000 00000000 00000000")),
            Write((w, s) => LinkCodec.WriteDelete(w, s, 4)));
    }

    private static string Write(Action<NetlinkMessageWriter, uint> write)
    {
        var writer = new NetlinkMessageWriter();
        write(writer, Sequence);
        return Hex.Format(writer.WrittenSpan);
    }
}
