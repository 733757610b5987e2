using System.Net;
using System.Net.Sockets;
using System.Text;
using Vigil.Vrrp.Packets;
using static Vigil.Vrrp.Tests.Packets.KeepalivedCaptures;

namespace Vigil.Vrrp.Tests.Packets;

public class VrrpCodecGoldenTests
{
    private static readonly IPAddress Src = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Group4 = IPAddress.Parse("224.0.0.18");
    private static readonly IPAddress Peer = IPAddress.Parse("10.77.0.2");
    private static readonly IPAddress Src6 = IPAddress.Parse(V3IPv6Source);
    private static readonly IPAddress Group6 = IPAddress.Parse("ff02::12");

    internal static VrrpReceivePolicy Policy(VrrpVersion version, byte vrid, double intervalSeconds = 1, VrrpAuthType auth = VrrpAuthType.None, string key = "", bool unicast = false, AddressFamily family = AddressFamily.InterNetwork) =>
        new()
        {
            Version = version,
            VirtualRouterId = vrid,
            AdvertInterval = TimeSpan.FromSeconds(intervalSeconds),
            AuthType = auth,
            AuthKey = Encoding.ASCII.GetBytes(key),
            Unicast = unicast,
            Family = family,
        };

    private static VrrpAdvert V4(VrrpVersion version, byte vrid, byte prio, double seconds, params string[] addresses) =>
        new(version, vrid, prio, TimeSpan.FromSeconds(seconds), [.. addresses.Select(IPAddress.Parse)]);

    public static TheoryData<string, string, string> Ipv4Cases() => new()
    {
        { "v2 plain", V2Plain, "v2;11;100;1;None;10.77.0.11,10.77.0.111" },
        { "v2 plain prio 0", V2PlainPriorityZero, "v2;11;0;1;None;10.77.0.11,10.77.0.111" },
        { "v2 pass", V2Pass, "v2;12;150;2;Pass;10.77.0.12" },
        { "v2 ah", V2Ah, "v2;13;200;1;Ah;10.77.0.13" },
        { "v2 ah prio 0", V2AhPriorityZero, "v2;13;0;1;Ah;10.77.0.13" },
        { "v3", V3IPv4, "v3;14;100;1;None;10.77.0.14,10.77.0.114" },
        { "v3 prio 0", V3IPv4PriorityZero, "v3;14;0;1;None;10.77.0.14,10.77.0.114" },
        { "v3 0.5s", V3IPv4HalfSecond, "v3;15;120;0.5;None;10.77.0.15" },
        { "v3 unicast", V3IPv4Unicast, "v3;17;255;1;None;10.77.0.17" },
        { "v2 unicast", V2IPv4Unicast, "v2;18;255;1;None;10.77.0.18" },
    };

    private static (VrrpAdvert Advert, VrrpReceivePolicy Policy, string Key) Expected(string spec)
    {
        string[] p = spec.Split(';');
        var version = p[0] == "v2" ? VrrpVersion.V2 : VrrpVersion.V3;
        var auth = Enum.Parse<VrrpAuthType>(p[4]);
        string key = auth switch { VrrpAuthType.Pass => "secret12longer", VrrpAuthType.Ah => "ahsecret", _ => "" };
        byte vrid = byte.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture);
        double seconds = double.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture);
        var advert = V4(version, vrid, byte.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture), seconds, p[5].Split(',')) with { AuthType = auth };
        bool unicast = vrid is 17 or 18;
        return (advert, Policy(version, vrid, seconds, auth, key, unicast), key);
    }

    [Theory]
    [MemberData(nameof(Ipv4Cases))]
    public void DecodeIPv4Datagram_KeepalivedCapture_YieldsTheConfiguredAdvert(string name, string hex, string spec)
    {
        var (advert, policy, _) = Expected(spec);

        VrrpDecodeResult result = VrrpIPv4Datagram.Decode(Bytes(hex), policy);

        Assert.True(result.IsAccepted, $"{name}: {result.Reason}");
        Assert.Equal(advert, result.Advert);
        Assert.Equal(Src, result.Info.Source);
        Assert.Equal(255, result.Info.HopLimit);
    }

    [Theory]
    [MemberData(nameof(Ipv4Cases))]
    public void EncodeIPv4Datagram_SameAdvert_ReproducesKeepalivedBytes(string name, string hex, string spec)
    {
        var (advert, _, key) = Expected(spec);
        byte[] captured = Bytes(hex);
        ushort id = (ushort)((captured[4] << 8) | captured[5]);
        IPAddress dst = advert.VirtualRouterId is 17 or 18 ? Peer : Group4;
        var context = new VrrpEncodeContext(Src, dst) { AuthKey = Encoding.ASCII.GetBytes(key) };

        byte[] encoded = VrrpIPv4Datagram.Encode(advert, context, id, ahSequence: id);

        Assert.True(captured.AsSpan().SequenceEqual(encoded), $"{name}: {Convert.ToHexStringLower(encoded)}");
    }

    [Theory]
    [InlineData(V3IPv6Payload, 100)]
    [InlineData(V3IPv6PriorityZeroPayload, 0)]
    public void DecodePayload_KeepalivedIPv6Capture_YieldsTheConfiguredAdvert(string hex, int priority)
    {
        var policy = Policy(VrrpVersion.V3, 16, 0.1, family: AddressFamily.InterNetworkV6);

        VrrpDecodeResult result = VrrpCodec.DecodePayload(Bytes(hex), new VrrpReceiveInfo(Src6, Group6, 255), policy);

        Assert.True(result.IsAccepted, result.Reason.ToString());
        Assert.Equal(
            new VrrpAdvert(VrrpVersion.V3, 16, (byte)priority, TimeSpan.FromMilliseconds(100), [IPAddress.Parse("fe80::16"), IPAddress.Parse("fd77::16")]),
            result.Advert);
    }

    [Theory]
    [InlineData(V3IPv6Payload, 100)]
    [InlineData(V3IPv6PriorityZeroPayload, 0)]
    public void EncodePayload_IPv6Advert_ReproducesKeepalivedBytes(string hex, int priority)
    {
        var advert = new VrrpAdvert(VrrpVersion.V3, 16, (byte)priority, TimeSpan.FromMilliseconds(100), [IPAddress.Parse("fe80::16"), IPAddress.Parse("fd77::16")]);

        byte[] encoded = VrrpCodec.EncodePayload(advert, new VrrpEncodeContext(Src6, Group6));

        Assert.Equal(hex, Convert.ToHexStringLower(encoded));
    }

    [Fact]
    public void DecodePayload_IPv6WithChecksumAsV2_StillUsesThePseudoHeader()
    {
        var policy = Policy(VrrpVersion.V3, 16, 0.1, family: AddressFamily.InterNetworkV6) with { V3ChecksumAsV2 = true };

        Assert.True(VrrpCodec.DecodePayload(Bytes(V3IPv6Payload), new VrrpReceiveInfo(Src6, Group6, 255), policy).IsAccepted);
    }

    [Fact]
    public void DecodePayload_IPv6FromAnotherSource_DropsBadChecksumBecauseThePseudoHeaderDiffers()
    {
        var policy = Policy(VrrpVersion.V3, 16, 0.1, family: AddressFamily.InterNetworkV6);

        Assert.Equal(VrrpDropReason.BadChecksum, VrrpCodec.DecodePayload(Bytes(V3IPv6Payload), new VrrpReceiveInfo(IPAddress.Parse("fe80::2"), Group6, 255), policy).Reason);
    }

    [Fact]
    public void DecodePayload_IPv4PayloadWithoutHeader_MatchesDatagramDecode()
    {
        byte[] datagram = Bytes(V3IPv4);
        var policy = Policy(VrrpVersion.V3, 14);

        VrrpDecodeResult viaPayload = VrrpCodec.DecodePayload(datagram.AsSpan(20), new VrrpReceiveInfo(Src, Group4, 255), policy);

        Assert.Equal(VrrpIPv4Datagram.Decode(datagram, policy).Advert, viaPayload.Advert);
        Assert.True(viaPayload.IsAccepted);
    }

    [Fact]
    public void Decode_CapturedIPv6Header_SaysHopLimit255AndProtocol112()
    {
        // Documents what the Linux side reads from ancillary data on IPv6: the header bytes are never given to the codec.
        byte[] header = Bytes(V3IPv6Header);

        Assert.Equal(0xc0, ((header[0] & 0x0f) << 4) | (header[1] >> 4));
        Assert.Equal(VrrpChecksum.ProtocolNumber, header[6]);
        Assert.Equal(255, header[7]);
        Assert.Equal(Src6, new IPAddress(header.AsSpan(8, 16)));
    }
}
