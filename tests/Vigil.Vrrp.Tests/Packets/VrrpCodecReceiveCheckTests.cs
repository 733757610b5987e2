using System.Net;
using System.Net.Sockets;
using System.Text;
using Vigil.Vrrp.Packets;
using static Vigil.Vrrp.Tests.Packets.KeepalivedCaptures;
using static Vigil.Vrrp.Tests.Packets.VrrpCodecGoldenTests;

namespace Vigil.Vrrp.Tests.Packets;

public class VrrpCodecReceiveCheckTests
{
    private static readonly IPAddress Src = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Group4 = IPAddress.Parse("224.0.0.18");

    private static VrrpDropReason Decode(byte[] datagram, VrrpReceivePolicy policy) => VrrpIPv4Datagram.Decode(datagram, policy).Reason;

    private static byte[] WithTtl(string hex, byte ttl)
    {
        byte[] b = Bytes(hex);
        b[8] = ttl;
        return b;
    }

    [Fact]
    public void Decode_MulticastTtlNot255_DropsBadTtl()
    {
        Assert.Equal(VrrpDropReason.BadTtl, Decode(WithTtl(V2Plain, 254), Policy(VrrpVersion.V2, 11)));
    }

    [Fact]
    public void Decode_UnicastTtlBelow255_Accepted()
    {
        Assert.Equal(VrrpDropReason.None, Decode(WithTtl(V3IPv4Unicast, 64), Policy(VrrpVersion.V3, 17, unicast: true)));
    }

    [Fact]
    public void Decode_UnicastTtlBelowMinTtl_DropsBadTtl()
    {
        var policy = Policy(VrrpVersion.V3, 17, unicast: true) with { UnicastMinTtl = 65 };

        Assert.Equal(VrrpDropReason.BadTtl, Decode(WithTtl(V3IPv4Unicast, 64), policy));
    }

    [Fact]
    public void Decode_OtherVrid_DropsWrongVirtualRouterId()
    {
        Assert.Equal(VrrpDropReason.WrongVirtualRouterId, Decode(Bytes(V2Plain), Policy(VrrpVersion.V2, 12)));
    }

    [Fact]
    public void Decode_V2AdvertOnV3Router_DropsBadVersion()
    {
        Assert.Equal(VrrpDropReason.BadVersion, Decode(Bytes(V2Plain), Policy(VrrpVersion.V3, 11)));
    }

    [Fact]
    public void Decode_WrongPassword_DropsAuthFailure()
    {
        Assert.Equal(VrrpDropReason.AuthFailure, Decode(Bytes(V2Pass), Policy(VrrpVersion.V2, 12, 2, VrrpAuthType.Pass, "secret13")));
    }

    [Fact]
    public void Decode_PasswordLongerThanEight_OnlyFirstEightCount()
    {
        Assert.Equal(VrrpDropReason.None, Decode(Bytes(V2Pass), Policy(VrrpVersion.V2, 12, 2, VrrpAuthType.Pass, "secret12-something-else")));
    }

    [Fact]
    public void Decode_PassAdvertOnUnauthenticatedRouter_DropsAuthTypeMismatch()
    {
        Assert.Equal(VrrpDropReason.AuthTypeMismatch, Decode(Bytes(V2Pass), Policy(VrrpVersion.V2, 12, 2)));
    }

    [Fact]
    public void Decode_AhWithWrongKey_DropsAuthFailure()
    {
        Assert.Equal(VrrpDropReason.AuthFailure, Decode(Bytes(V2Ah), Policy(VrrpVersion.V2, 13, 1, VrrpAuthType.Ah, "ahsecreT")));
    }

    [Fact]
    public void Decode_AhAdvertOnPassRouter_DropsAuthTypeMismatch()
    {
        Assert.Equal(VrrpDropReason.AuthTypeMismatch, Decode(Bytes(V2Ah), Policy(VrrpVersion.V2, 13, 1, VrrpAuthType.Pass, "ahsecret")));
    }

    [Fact]
    public void Decode_AhTamperedVrrpByte_DropsAuthFailure()
    {
        byte[] b = Bytes(V2Ah);
        b[46] = 201; // priority inside the authenticated VRRP message

        Assert.Equal(VrrpDropReason.AuthFailure, Decode(b, Policy(VrrpVersion.V2, 13, 1, VrrpAuthType.Ah, "ahsecret")));
    }

    [Fact]
    public void Decode_V2IntervalDiffers_DropsIntervalMismatch()
    {
        Assert.Equal(VrrpDropReason.IntervalMismatch, Decode(Bytes(V2Plain), Policy(VrrpVersion.V2, 11, 2)));
    }

    [Fact]
    public void Decode_V3IntervalDiffers_AcceptedWithSendersInterval()
    {
        VrrpDecodeResult result = VrrpIPv4Datagram.Decode(Bytes(V3IPv4), Policy(VrrpVersion.V3, 14, 3));

        Assert.True(result.IsAccepted);
        Assert.Equal(TimeSpan.FromSeconds(1), result.Advert.AdvertInterval);
    }

    [Fact]
    public void Decode_TypeNotAdvertisement_DropsBadType()
    {
        byte[] b = Bytes(V3IPv4);
        b[20] = 0x32;

        Assert.Equal(VrrpDropReason.BadType, Decode(b, Policy(VrrpVersion.V3, 14)));
    }

    [Fact]
    public void Decode_FlippedAddressByte_DropsBadChecksum()
    {
        byte[] b = Bytes(V3IPv4);
        b[^1] ^= 1;

        Assert.Equal(VrrpDropReason.BadChecksum, Decode(b, Policy(VrrpVersion.V3, 14)));
    }

    [Fact]
    public void Decode_PseudoHeaderPacketWithChecksumAsV2_DropsBadChecksum()
    {
        Assert.Equal(VrrpDropReason.BadChecksum, Decode(Bytes(V3IPv4), Policy(VrrpVersion.V3, 14) with { V3ChecksumAsV2 = true }));
    }

    [Fact]
    public void EncodeThenDecode_ChecksumAsV2_RoundTripsAndDiffersFromPseudoHeaderChecksum()
    {
        var advert = new VrrpAdvert(VrrpVersion.V3, 14, 100, TimeSpan.FromSeconds(1), [IPAddress.Parse("10.77.0.14"), IPAddress.Parse("10.77.0.114")]);
        byte[] asV2 = VrrpIPv4Datagram.Encode(advert, new VrrpEncodeContext(Src, Group4) { V3ChecksumAsV2 = true }, 1, 0);

        Assert.NotEqual(Bytes(V3IPv4), asV2);
        Assert.Equal(0, VrrpChecksum.Compute(asV2.AsSpan(20)));
        Assert.Equal(advert, VrrpIPv4Datagram.Decode(asV2, Policy(VrrpVersion.V3, 14) with { V3ChecksumAsV2 = true }).Advert);
    }

    [Fact]
    public void Decode_MulticastAdvertOnUnicastRouter_DropsMulticastUnicastMismatch()
    {
        Assert.Equal(VrrpDropReason.MulticastUnicastMismatch, Decode(Bytes(V2Plain), Policy(VrrpVersion.V2, 11, unicast: true)));
    }

    [Fact]
    public void Decode_UnicastFromUnknownPeerWithCheck_DropsUnknownUnicastSource()
    {
        var policy = Policy(VrrpVersion.V3, 17, unicast: true) with { CheckUnicastSource = true, UnicastPeers = [IPAddress.Parse("10.77.0.9")] };

        Assert.Equal(VrrpDropReason.UnknownUnicastSource, Decode(Bytes(V3IPv4Unicast), policy));
    }

    [Fact]
    public void Decode_AddressCountBeyondBytes_DropsTooShort()
    {
        byte[] b = Bytes(V3IPv4);
        b[23] = 3;

        Assert.Equal(VrrpDropReason.TooShort, Decode(b, Policy(VrrpVersion.V3, 14)));
    }

    [Fact]
    public void Decode_TotalLengthBeyondBytes_DropsBadLength()
    {
        byte[] b = Bytes(V3IPv4)[..^1];

        Assert.Equal(VrrpDropReason.BadLength, Decode(b, Policy(VrrpVersion.V3, 14)));
    }

    [Fact]
    public void Decode_OwnSourceAddress_DropsOwnAdvert()
    {
        Assert.Equal(VrrpDropReason.OwnAdvert, Decode(Bytes(V3IPv4), Policy(VrrpVersion.V3, 14) with { OwnAddresses = [Src] }));
    }

    [Fact]
    public void Decode_BadTtlAndBadChecksum_ReportsTtlFirstAsKeepalivedDoes()
    {
        byte[] b = WithTtl(V3IPv4, 1);
        b[^1] ^= 1;

        Assert.Equal(VrrpDropReason.BadTtl, Decode(b, Policy(VrrpVersion.V3, 14)));
    }

    [Fact]
    public void Decode_WrongPasswordAndWrongInterval_ReportsAuthBeforeInterval()
    {
        Assert.Equal(VrrpDropReason.AuthFailure, Decode(Bytes(V2Pass), Policy(VrrpVersion.V2, 12, 1, VrrpAuthType.Pass, "nope")));
    }

    [Fact]
    public void DecodePayload_IPv4PacketOnIPv6Router_DropsWrongAddressFamily()
    {
        var policy = Policy(VrrpVersion.V3, 14, family: AddressFamily.InterNetworkV6);

        Assert.Equal(VrrpDropReason.WrongAddressFamily, VrrpCodec.DecodePayload(Bytes(V3IPv4).AsSpan(20), new VrrpReceiveInfo(Src, Group4, 255), policy).Reason);
    }

    [Fact]
    public void DecodePayload_AhPolicyWithoutIpHeader_DropsAuthTypeMismatch()
    {
        var policy = Policy(VrrpVersion.V2, 13, 1, VrrpAuthType.Ah, "ahsecret");

        Assert.Equal(VrrpDropReason.AuthTypeMismatch, VrrpCodec.DecodePayload(Bytes(V2Ah).AsSpan(44), new VrrpReceiveInfo(Src, Group4, 255), policy).Reason);
    }

    [Theory]
    [InlineData(0.4, 1)]
    [InlineData(1.5, 2)]
    [InlineData(300, 255)]
    public void ToV2Seconds_Interval_RoundsAndClamps(double seconds, int expected)
    {
        Assert.Equal(expected, VrrpCodec.ToV2Seconds(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(0.001, 1)]
    [InlineData(0.01, 1)]
    [InlineData(40.95, 4095)]
    [InlineData(100, 4095)]
    public void ToV3Centiseconds_Interval_RoundsAndClamps(double seconds, int expected)
    {
        Assert.Equal(expected, VrrpCodec.ToV3Centiseconds(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void EncodePayload_MixedFamilies_Throws()
    {
        var advert = new VrrpAdvert(VrrpVersion.V3, 1, 100, TimeSpan.FromSeconds(1), [IPAddress.Parse("fd77::1")]);

        Assert.Throws<ArgumentException>(() => VrrpCodec.EncodePayload(advert, new VrrpEncodeContext(Src, Group4)));
    }
}
