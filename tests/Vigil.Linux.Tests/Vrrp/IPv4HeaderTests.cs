using System.Net;
using Vigil.Linux.Vrrp;

namespace Vigil.Linux.Tests.Vrrp;

public class IPv4HeaderTests
{
    // keepalived 2.2.7's VRRPv2 advert for VRID 51 as captured on the peer (IP header and VRRP).
    private const string KeepalivedAdvert =
        "45c00028 00010000 ff70d044 0a4d0001 e0000012" +
        "21336401 00017019 0a4d0064 00000000 00000000";

    [Fact]
    public void TryParse_KeepalivedAdvert_ReadsTtlProtocolAddresses()
    {
        Assert.True(IPv4Header.TryParse(Hex.Parse(KeepalivedAdvert), out var header));

        Assert.Equal(new IPv4Header(20, 40, 255, 112, IPAddress.Parse("10.77.0.1"), IPAddress.Parse("224.0.0.18")), header);
    }

    [Theory]
    [InlineData("45c00028")]                                      // short
    [InlineData("65c00028 00010000 ff70d044 0a4d0001 e0000012")] // version 6
    [InlineData("4fc00028 00010000 ff70d044 0a4d0001 e0000012")] // IHL 60 > length
    [InlineData("44c00028 00010000 ff70d044 0a4d0001 e0000012")] // IHL 16 < 20
    public void TryParse_Malformed_ReturnsFalse(string hex)
    {
        Assert.False(IPv4Header.TryParse(Hex.Parse(hex), out _));
    }
}
