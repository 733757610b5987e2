using System.Net;
using Vigil.Linux.Ipvs;
using Vigil.Linux.Netlink;

namespace Vigil.Linux.Tests.Ipvs;

/// <summary>
/// Sync daemon, config and flush messages, golden bytes built from include/uapi/linux/ip_vs.h
/// (IPVS_CMD_ATTR_DAEMON 3 nested; DAEMON_ATTR STATE 1 u32, MCAST_IFN 2 string, SYNC_ID 3 u32,
/// SYNC_MAXLEN 4 u16, MCAST_GROUP 5 in_addr, MCAST_GROUP6 6 in6_addr, MCAST_PORT 7 u16, MCAST_TTL 8 u8).
/// </summary>
public class IpvsDaemonCodecTests
{
    private const ushort FamilyId = 0x1c;

    [Fact]
    public void WriteNewDaemon_AllOptions_GoldenBytes()
    {
        var w = new NetlinkMessageWriter();
        var daemon = new IpvsSyncDaemon(IpvsSyncState.Master, "d0", 5, 1400, IPAddress.Parse("224.0.0.82"), 8850, 3);

        IpvsCodec.WriteNewDaemon(w, FamilyId, 1, daemon);

        var expected = Hex.Parse(
            "50000000 1c00 0500 01000000 00000000" +   // nlmsghdr: 80 bytes, REQUEST|ACK, seq 1
            "09010000" +                               // NEW_DAEMON, version 1
            "3c000380" +                               // DAEMON, nested, 60 bytes
            "08000100 01000000" +                      // STATE master
            "07000200 64300000" +                      // MCAST_IFN "d0\0", padded
            "08000300 05000000" +                      // SYNC_ID 5
            "06000400 78050000" +                      // SYNC_MAXLEN 1400
            "08000500 e0000052" +                      // MCAST_GROUP 224.0.0.82, network order
            "06000700 92220000" +                      // MCAST_PORT 8850, host order
            "05000800 03000000");                      // MCAST_TTL 3
        Assert.Equal(Hex.Format(expected), Hex.Format(w.WrittenSpan));
    }

    [Fact]
    public void WriteNewDaemon_Defaults_OnlyStateInterfaceAndSyncId()
    {
        var w = new NetlinkMessageWriter();

        IpvsCodec.WriteNewDaemon(w, FamilyId, 4, new IpvsSyncDaemon(IpvsSyncState.Backup, "eth0", 51));

        var expected = Hex.Parse(
            "34000000 1c00 0500 04000000 00000000" +
            "09010000" +
            "20000380" +
            "08000100 02000000" +                      // STATE backup
            "09000200 65746830 00000000" +             // MCAST_IFN "eth0\0"
            "08000300 33000000");                      // SYNC_ID 51
        Assert.Equal(Hex.Format(expected), Hex.Format(w.WrittenSpan));
    }

    [Fact]
    public void WriteDelDaemon_Backup_GoldenBytes()
    {
        var w = new NetlinkMessageWriter();

        IpvsCodec.WriteDelDaemon(w, FamilyId, 2, IpvsSyncState.Backup);

        var expected = Hex.Parse("20000000 1c00 0500 02000000 00000000" + "0a010000" + "0c000380" + "08000100 02000000");
        Assert.Equal(Hex.Format(expected), Hex.Format(w.WrittenSpan));
    }

    [Fact]
    public void TryParseDaemon_Ipv6Group_RoundTrips()
    {
        var daemon = new IpvsSyncDaemon(IpvsSyncState.Backup, "eth1", 9, 1200, IPAddress.Parse("ff02::8:81"), 8848, 1);
        var w = new NetlinkMessageWriter();
        IpvsCodec.WriteNewDaemon(w, FamilyId, 1, daemon);
        Assert.Contains("14000600" + "ff020000000000000000000000080081", Hex.Format(w.WrittenSpan), StringComparison.Ordinal);

        var reader = new NetlinkMessageReader(w.WrittenSpan);
        Assert.True(reader.TryRead(out var message));
        Assert.True(IpvsCodec.TryParseDaemon(message, out var parsed));

        Assert.Equal(daemon, parsed);
    }

    [Fact]
    public void TryParseDaemon_NoInterface_False()
    {
        var w = new NetlinkMessageWriter();
        IpvsCodec.WriteDelDaemon(w, FamilyId, 1, IpvsSyncState.Master);
        var reader = new NetlinkMessageReader(w.WrittenSpan);
        Assert.True(reader.TryRead(out var message));

        Assert.False(IpvsCodec.TryParseDaemon(message, out _));
    }

    [Fact]
    public void ParseTimeouts_SetConfigLayout_ReadsAllThree()
    {
        var w = new NetlinkMessageWriter();
        IpvsCodec.WriteTimeouts(w, FamilyId, 3, 900, 60, 120);
        Assert.Contains("08000400 84030000 08000500 3c000000 08000600 78000000".Replace(" ", "", StringComparison.Ordinal), Hex.Format(w.WrittenSpan), StringComparison.Ordinal);
        var reader = new NetlinkMessageReader(w.WrittenSpan);
        Assert.True(reader.TryRead(out var message));

        Assert.Equal(new IpvsTimeouts(900, 60, 120), IpvsCodec.ParseTimeouts(message));
    }

    [Fact]
    public void WriteCommand_Flush_BareGenlHeader()
    {
        var w = new NetlinkMessageWriter();

        IpvsCodec.WriteCommand(w, FamilyId, IpvsCodec.CmdFlush, 7);

        Assert.Equal("14000000" + "1c00" + "0500" + "07000000" + "00000000" + "11010000", Hex.Format(w.WrittenSpan));
    }
}
