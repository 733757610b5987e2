using System.Net;
using System.Net.Sockets;
using CsCheck;
using Vigil.Vrrp.Packets;
using static Vigil.Vrrp.Tests.Packets.KeepalivedCaptures;
using static Vigil.Vrrp.Tests.Packets.VrrpCodecGoldenTests;

namespace Vigil.Vrrp.Tests.Packets;

public class VrrpCodecFuzzTests
{
    private static readonly VrrpReceivePolicy[] Policies =
    [
        Policy(VrrpVersion.V2, 11),
        Policy(VrrpVersion.V2, 12, 2, VrrpAuthType.Pass, "secret12"),
        Policy(VrrpVersion.V2, 13, 1, VrrpAuthType.Ah, "ahsecret"),
        Policy(VrrpVersion.V3, 14),
        Policy(VrrpVersion.V3, 17, unicast: true),
        Policy(VrrpVersion.V3, 16, 0.1, family: AddressFamily.InterNetworkV6),
    ];

    private static readonly string[] Captures = [V2Plain, V2Pass, V2Ah, V3IPv4, V3IPv4Unicast, V2AhPriorityZero, V3IPv6Payload];

    private static void DecodeEverywhere(byte[] bytes)
    {
        foreach (VrrpReceivePolicy policy in Policies)
        {
            VrrpDecodeResult a = VrrpIPv4Datagram.Decode(bytes, policy);
            Assert.Equal(a.Reason == VrrpDropReason.None, a.Advert is not null);
            var info = policy.Family == AddressFamily.InterNetworkV6
                ? new VrrpReceiveInfo(IPAddress.Parse(V3IPv6Source), IPAddress.Parse("ff02::12"), 255)
                : new VrrpReceiveInfo(IPAddress.Parse("10.77.0.1"), IPAddress.Parse("224.0.0.18"), 255);
            VrrpDecodeResult b = VrrpCodec.DecodePayload(bytes, info, policy);
            Assert.Equal(b.Reason == VrrpDropReason.None, b.Advert is not null);
        }
    }

    [Fact]
    public void Decode_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 120].Sample(DecodeEverywhere, iter: 20_000);
    }

    [Fact]
    public void Decode_MutatedKeepalivedAdverts_NeverThrowsAndRarelyAccepts()
    {
        var gen = Gen.Select(Gen.Int[0, Captures.Length - 1], Gen.Int[0, 63], Gen.Byte, Gen.Int[-4, 4]);
        gen.Sample(t =>
        {
            var (which, position, value, resize) = t;
            byte[] b = Bytes(Captures[which]);
            b[position % b.Length] = value;
            Array.Resize(ref b, Math.Max(0, b.Length + resize));
            DecodeEverywhere(b);
        }, iter: 20_000);
    }

    [Fact]
    public void EncodeThenDecode_AnyValidAdvert_RoundTrips()
    {
        var gen = Gen.Select(Gen.Byte[1, 255], Gen.Byte, Gen.Int[1, 4095], Gen.Int[0, 20], Gen.Bool, Gen.Bool);
        gen.Sample(t =>
        {
            var (vrid, prio, cs, count, v6, v2) = t;
            bool useV2 = v2 && !v6;
            var version = useV2 ? VrrpVersion.V2 : VrrpVersion.V3;
            TimeSpan interval = useV2 ? TimeSpan.FromSeconds(1 + (cs % 255)) : TimeSpan.FromMilliseconds(cs * 10);
            IPAddress[] addresses = [.. Enumerable.Range(0, count).Select(i => v6 ? IPAddress.Parse($"fd77::{i + 1:x}") : IPAddress.Parse($"10.77.0.{i + 1}"))];
            var advert = new VrrpAdvert(version, vrid, prio, interval, addresses);
            IPAddress src = v6 ? IPAddress.Parse("fe80::1") : IPAddress.Parse("10.77.0.1");
            IPAddress dst = v6 ? IPAddress.Parse("ff02::12") : IPAddress.Parse("224.0.0.18");
            var policy = Policy(version, vrid, interval.TotalSeconds, family: src.AddressFamily);

            byte[] payload = VrrpCodec.EncodePayload(advert, new VrrpEncodeContext(src, dst));
            VrrpDecodeResult result = VrrpCodec.DecodePayload(payload, new VrrpReceiveInfo(src, dst, 255), policy);

            Assert.Equal(advert, result.Advert);
        }, iter: 2_000);
    }
}
