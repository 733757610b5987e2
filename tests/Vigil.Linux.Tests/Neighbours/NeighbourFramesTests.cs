using System.Net;
using Vigil.Linux.Neighbours;

namespace Vigil.Linux.Tests.Neighbours;

/// <summary>Golden frames captured with tshark on the peer of keepalived 2.2.7 (VIPs 10.77.0.100 and fd77::100).</summary>
public class NeighbourFramesTests
{
    private static readonly byte[] Mac = Hex.Parse("86c6150dd617");

    private const string KeepalivedGratuitousArp =
        "ffffffffffff 86c6150dd617 0806" +
        "0001 0800 06 04 0001 86c6150dd617 0a4d0064 ffffffffffff 0a4d0064";

    private const string KeepalivedNeighbourAdvertisement =
        "333300000001 86c6150dd617 86dd" +
        "60000000 0020 3a ff fd770000000000000000000000000100 ff020000000000000000000000000001" +
        "88 00 e7c4 20000000 fd770000000000000000000000000100" +
        "02 01 86c6150dd617";

    [Fact]
    public void WriteGratuitousArp_Vip_MatchesKeepalivedFrame()
    {
        var frame = new byte[64];

        var length = NeighbourFrames.WriteGratuitousArp(frame, Mac, IPAddress.Parse("10.77.0.100"));

        Assert.Equal(Hex.Format(Hex.Parse(KeepalivedGratuitousArp)), Hex.Format(frame.AsSpan(0, length)));
    }

    [Fact]
    public void WriteUnsolicitedNeighbourAdvertisement_Vip_MatchesKeepalivedFrame()
    {
        var frame = new byte[128];

        var length = NeighbourFrames.WriteUnsolicitedNeighbourAdvertisement(frame, Mac, IPAddress.Parse("fd77::100"));

        Assert.Equal(Hex.Format(Hex.Parse(KeepalivedNeighbourAdvertisement)), Hex.Format(frame.AsSpan(0, length)));
    }

    [Fact]
    public void WriteUnsolicitedNeighbourAdvertisement_Router_SetsRFlagAndKeepsChecksumValid()
    {
        var frame = new byte[128];

        var length = NeighbourFrames.WriteUnsolicitedNeighbourAdvertisement(frame, Mac, IPAddress.Parse("fd77::100"), router: true);

        var icmp = frame.AsSpan(14 + 40, length - 54);
        Assert.Equal(0xA0, icmp[4]); // R | O
        // A valid ICMPv6 checksum sums (with the pseudo-header) to zero.
        Assert.Equal(0, NeighbourFrames.IcmpV6Checksum(frame.AsSpan(22, 16), frame.AsSpan(38, 16), icmp));
    }

    [Fact]
    public void WriteGratuitousArp_IPv6Address_Throws()
    {
        Assert.Throws<ArgumentException>(() => NeighbourFrames.WriteGratuitousArp(new byte[64], Mac, IPAddress.Parse("fd77::1")));
    }

    [Fact]
    public void WriteUnsolicitedNeighbourAdvertisement_ShortMac_Throws()
    {
        Assert.Throws<ArgumentException>(() => NeighbourFrames.WriteUnsolicitedNeighbourAdvertisement(new byte[128], Mac.AsSpan(0, 4), IPAddress.Parse("fd77::1")));
    }
}
