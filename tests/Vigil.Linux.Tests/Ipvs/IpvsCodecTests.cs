using System.Net;
using System.Net.Sockets;
using Vigil.Linux.Ipvs;
using Vigil.Linux.Netlink;

namespace Vigil.Linux.Tests.Ipvs;

/// <summary>
/// Golden bytes built term by term from include/uapi/linux/ip_vs.h in libipvs's attribute order
/// (AF, FWMARK or PROTOCOL/ADDR/PORT, SCHED_NAME, PE_NAME, FLAGS, TIMEOUT, NETMASK).
/// </summary>
public class IpvsCodecTests
{
    private const ushort FamilyId = 0x1c;

    private static readonly IpvsService Web = new(AddressFamily.InterNetwork, IpvsProtocol.Tcp, IPAddress.Parse("10.77.0.100"), 80, 0, "wrr");

    private const string WebServiceAttributes =
        "06000100 02000000" +                                  // AF 2 (AF_INET), padded
        "06000200 06000000" +                                  // PROTOCOL 6 (TCP)
        "14000300 0a4d0064 00000000 00000000 00000000" +       // ADDR nf_inet_addr, IPv4 first
        "06000400 00500000";                                   // PORT 80, network order

    [Fact]
    public void WriteService_NewTcpService_GoldenBytes()
    {
        var w = new NetlinkMessageWriter();

        IpvsCodec.WriteService(w, FamilyId, IpvsCodec.CmdNewService, 1, Web);

        var expected = Hex.Parse(
            "68000000 1c00 0500 01000000 00000000" +              // nlmsghdr: 104 bytes, IPVS family, REQUEST|ACK, seq 1
            "01010000" +                                          // genlmsghdr: NEW_SERVICE, version 1
            "54000180" +                                          // SERVICE, nested, 84 bytes
            WebServiceAttributes +
            "08000600 77727200" +                                 // SCHED_NAME "wrr\0"
            "0c000700 00000000 ffffffff" +                        // FLAGS {flags 0, mask ~0}
            "08000800 00000000" +                                 // TIMEOUT 0
            "08000900 ffffffff");                                 // NETMASK /32
        Assert.Equal(Hex.Format(expected), Hex.Format(w.WrittenSpan));
    }

    [Fact]
    public void WriteDestination_NatWeight3_GoldenBytes()
    {
        var w = new NetlinkMessageWriter();

        IpvsCodec.WriteDestination(w, FamilyId, IpvsCodec.CmdNewDest, 2, Web, new IpvsDestination(IPAddress.Parse("10.77.0.11"), 8080, IpvsForwarding.Masquerade, 3));

        var expected = Hex.Parse(
            "8c000000 1c00 0500 02000000 00000000" +              // 140 bytes, seq 2
            "05010000" +                                          // NEW_DEST, version 1
            "30000180" + WebServiceAttributes +                   // SERVICE key only, 48 bytes
            "48000280" +                                          // DEST, nested, 72 bytes
            "14000100 0a4d000b 00000000 00000000 00000000" +      // ADDR
            "06000200 1f900000" +                                 // PORT 8080
            "08000300 00000000" +                                 // FWD_METHOD MASQ
            "08000400 03000000" +                                 // WEIGHT 3
            "08000500 00000000" +                                 // U_THRESH
            "08000600 00000000" +                                 // L_THRESH
            "06000b00 02000000");                                 // ADDR_FAMILY AF_INET
        Assert.Equal(Hex.Format(expected), Hex.Format(w.WrittenSpan));
    }

    [Fact]
    public void WriteService_FwmarkIpv6Persistent_KeyIsMarkAndFamily()
    {
        var w = new NetlinkMessageWriter();
        var svc = new IpvsService(AddressFamily.InterNetworkV6, IpvsProtocol.Tcp, null, 0, 7, "sh",
            IpvsServiceFlags.Persistent | IpvsServiceFlags.Sched2, 300, 64);

        IpvsCodec.WriteService(w, FamilyId, IpvsCodec.CmdNewService, 3, svc);

        var hex = Hex.Format(w.WrittenSpan);
        Assert.Contains("06000100" + "0a000000", hex, StringComparison.Ordinal);          // AF_INET6
        Assert.Contains("08000500" + "07000000", hex, StringComparison.Ordinal);          // FWMARK 7
        Assert.DoesNotContain("06000200", hex, StringComparison.Ordinal);                 // no PROTOCOL
        Assert.Contains("0c000700" + "11000000" + "ffffffff", hex, StringComparison.Ordinal); // PERSISTENT|SCHED2 (sh-port)
        Assert.Contains("08000800" + "2c010000", hex, StringComparison.Ordinal);          // TIMEOUT 300
        Assert.Contains("08000900" + "40000000", hex, StringComparison.Ordinal);          // NETMASK /64
    }

    [Fact]
    public void TryParseService_EncodedService_RoundTrips()
    {
        var svc = Web with { Flags = IpvsServiceFlags.Persistent, Timeout = 50, Netmask = 0x00FFFFFF, PersistenceEngine = "sip" };
        var w = new NetlinkMessageWriter();
        IpvsCodec.WriteService(w, FamilyId, IpvsCodec.CmdNewService, 1, svc);

        var reader = new NetlinkMessageReader(w.WrittenSpan);
        Assert.True(reader.TryRead(out var message));
        Assert.True(IpvsCodec.TryParseService(message, out var parsed));

        Assert.Equal(svc, parsed);
    }

    [Fact]
    public void TryParseDestination_TunnelDestination_RoundTrips()
    {
        var dest = new IpvsDestination(IPAddress.Parse("fd77::11"), 443, IpvsForwarding.Tunnel, 5, 100, 10, new IpvsTunnel(IpvsTunnelType.Gue, 6080, 1));
        var v6 = new IpvsService(AddressFamily.InterNetworkV6, IpvsProtocol.Tcp, IPAddress.Parse("fd77::100"), 443, 0, "mh");
        var w = new NetlinkMessageWriter();
        IpvsCodec.WriteDestination(w, FamilyId, IpvsCodec.CmdNewDest, 1, v6, dest);

        var reader = new NetlinkMessageReader(w.WrittenSpan);
        Assert.True(reader.TryRead(out var message));
        Assert.True(IpvsCodec.TryParseDestination(message, AddressFamily.InterNetworkV6, out var parsed));

        Assert.Equal(dest, parsed);
    }

    [Fact]
    public void TryParseService_TruncatedAddress_False()
    {
        var w = new NetlinkMessageWriter();
        w.BeginMessage(FamilyId, NetlinkMessageFlags.None, 1);
        w.Write(new Vigil.Linux.Netlink.Generic.GenlMsgHdr { Command = IpvsCodec.CmdNewService, Version = 1 });
        var nest = w.BeginNested(1);
        w.AddAttribute(1, (ushort)2);
        w.AddAttribute(3, [10, 77]);
        w.AddAttribute(6, "rr");
        w.EndNested(nest);
        w.EndMessage();

        var reader = new NetlinkMessageReader(w.WrittenSpan);
        Assert.True(reader.TryRead(out var message));
        Assert.False(IpvsCodec.TryParseService(message, out _));
    }

    [Fact]
    public void SameKey_FwmarkServicesDifferingInScheduler_Same()
    {
        var a = new IpvsService(AddressFamily.InterNetwork, IpvsProtocol.Tcp, null, 0, 5, "rr");
        Assert.True(a.SameKey(a with { Scheduler = "wlc", Protocol = IpvsProtocol.Udp }));
        Assert.False(a.SameKey(a with { Family = AddressFamily.InterNetworkV6 }));
    }
}
