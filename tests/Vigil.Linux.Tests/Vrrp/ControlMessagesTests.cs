using System.Net;
using Vigil.Linux.Vrrp;

namespace Vigil.Linux.Tests.Vrrp;

public class ControlMessagesTests
{
    [Fact]
    public void WritePacketInfo_IPv4_IsInPktInfoWithSpecDst()
    {
        var control = new byte[64];

        var length = ControlMessages.WritePacketInfo(control, IPAddress.Parse("10.77.0.1"), 7);

        // cmsg_len 28 (16 + 12), SOL_IP, IP_PKTINFO, ifindex 7, spec_dst 10.77.0.1, addr 0, padding.
        Assert.Equal(32, length);
        Assert.Equal("1c00000000000000" + "00000000" + "08000000" + "07000000" + "0a4d0001" + "00000000" + "00000000",
            Hex.Format(control.AsSpan(0, length)));
    }

    [Fact]
    public void WritePacketInfo_IPv6_IsIn6PktInfo()
    {
        var control = new byte[64];

        var length = ControlMessages.WritePacketInfo(control, IPAddress.Parse("fe80::1"), 3);

        Assert.Equal(40, length);
        Assert.Equal("2400000000000000" + "29000000" + "32000000" + "fe800000000000000000000000000001" + "03000000" + "00000000",
            Hex.Format(control.AsSpan(0, length)));
    }

    [Fact]
    public void Parse_IPv6PktInfoAndHopLimit_ReadsBoth()
    {
        var control = Hex.Parse(
            "2400000000000000 29000000 32000000 ff020000000000000000000000000012 05000000 00000000" +
            "1400000000000000 29000000 34000000 ff000000 00000000");
        var result = default(ReceivedControl);

        ControlMessages.Parse(control, ref result);

        Assert.Equal(IPAddress.Parse("ff02::12"), result.Destination);
        Assert.Equal(5, result.InterfaceIndex);
        Assert.Equal(255, result.HopLimit);
    }

    [Fact]
    public void Parse_LengthBeyondBuffer_StopsWithoutThrowing()
    {
        var control = Hex.Parse("ff00000000000000 00000000 08000000 07000000");
        var result = default(ReceivedControl);

        ControlMessages.Parse(control, ref result);

        Assert.Equal(0, result.InterfaceIndex);
        Assert.Null(result.Destination);
    }
}
