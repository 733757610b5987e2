using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Vigil.Vrrp.Packets;

namespace Vigil.Bench;

/// <summary>Encode and decode cost of one advert (what 200 instances at 100 ms pay 2,000 times a second).</summary>
[MemoryDiagnoser]
public class VrrpCodecBenchmarks
{
    private static readonly IPAddress Source = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Group = IPAddress.Parse("224.0.0.18");
    private static readonly IPAddress Source6 = IPAddress.Parse("fe80::1");
    private static readonly IPAddress Group6 = IPAddress.Parse("ff02::12");

    private readonly byte[] _buffer = new byte[256];
    private VrrpAdvert _v3 = null!;
    private VrrpAdvert _v3v6 = null!;
    private VrrpAdvert _ah = null!;
    private byte[] _v3Datagram = null!;
    private byte[] _ahDatagram = null!;
    private byte[] _v6Payload = null!;
    private VrrpReceivePolicy _v3Policy = null!;
    private VrrpReceivePolicy _ahPolicy = null!;
    private VrrpReceivePolicy _v6Policy = null!;
    private VrrpEncodeContext _ahContext;

    [GlobalSetup]
    public void Setup()
    {
        _v3 = new VrrpAdvert(VrrpVersion.V3, 51, 100, TimeSpan.FromMilliseconds(100), [IPAddress.Parse("10.77.0.100"), IPAddress.Parse("10.77.0.101")]);
        _v3v6 = new VrrpAdvert(VrrpVersion.V3, 51, 100, TimeSpan.FromMilliseconds(100), [IPAddress.Parse("fd77::100")]);
        _ah = new VrrpAdvert(VrrpVersion.V2, 13, 100, TimeSpan.FromSeconds(1), [IPAddress.Parse("10.77.0.13")]) { AuthType = VrrpAuthType.Ah };
        _ahContext = new VrrpEncodeContext(Source, Group) { AuthKey = Encoding.ASCII.GetBytes("ahsecret") };
        _v3Datagram = VrrpIPv4Datagram.Encode(_v3, new VrrpEncodeContext(Source, Group), 1, 0);
        _ahDatagram = VrrpIPv4Datagram.Encode(_ah, _ahContext, 1, 1);
        _v6Payload = VrrpCodec.EncodePayload(_v3v6, new VrrpEncodeContext(Source6, Group6));
        _v3Policy = new VrrpReceivePolicy { Version = VrrpVersion.V3, VirtualRouterId = 51 };
        _ahPolicy = new VrrpReceivePolicy { Version = VrrpVersion.V2, VirtualRouterId = 13, AuthType = VrrpAuthType.Ah, AuthKey = Encoding.ASCII.GetBytes("ahsecret") };
        _v6Policy = new VrrpReceivePolicy { Version = VrrpVersion.V3, VirtualRouterId = 51, Family = System.Net.Sockets.AddressFamily.InterNetworkV6 };
    }

    [Benchmark]
    public int EncodeV3IPv4Datagram() => VrrpIPv4Datagram.Encode(_v3, _buffer, new VrrpEncodeContext(Source, Group), 1, 0);

    [Benchmark]
    public int EncodeV3IPv6Payload() => VrrpCodec.EncodePayload(_v3v6, _buffer, new VrrpEncodeContext(Source6, Group6));

    [Benchmark]
    public int EncodeV2AhDatagram() => VrrpIPv4Datagram.Encode(_ah, _buffer, _ahContext, 1, 1);

    [Benchmark]
    public bool DecodeV3IPv4Datagram() => VrrpIPv4Datagram.Decode(_v3Datagram, _v3Policy).IsAccepted;

    [Benchmark]
    public bool DecodeV3IPv6Payload() => VrrpCodec.DecodePayload(_v6Payload, new VrrpReceiveInfo(Source6, Group6, 255), _v6Policy).IsAccepted;

    [Benchmark]
    public bool DecodeV2AhDatagram() => VrrpIPv4Datagram.Decode(_ahDatagram, _ahPolicy).IsAccepted;
}
