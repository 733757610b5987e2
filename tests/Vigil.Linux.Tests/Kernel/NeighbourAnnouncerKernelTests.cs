using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Neighbours;

namespace Vigil.Linux.Tests.Kernel;

/// <summary>GARP and NA sent in namespace a, captured with an AF_PACKET socket on the peer in b (root only).</summary>
public sealed class NeighbourAnnouncerKernelTests : IDisposable
{
    private static readonly TimeSpan CaptureTimeout = TimeSpan.FromSeconds(5);

    private readonly LabPair _lab;
    private readonly NetworkNamespace _a;
    private readonly NetworkNamespace _b;

    public NeighbourAnnouncerKernelTests()
    {
        _lab = LabPair.Create();
        _a = NetworkNamespace.Open(_lab.A);
        _b = NetworkNamespace.Open(_lab.B);
    }

    [Fact]
    public async Task SendGratuitousArp_OnVa_PeerCapturesTheFrame()
    {
        using var capture = PacketSocket.Open("vb", Interop.Constants.ETH_P_ALL, _b);
        using var announcer = NeighbourAnnouncer.Open("va", _a);

        announcer.SendGratuitousArp(IPAddress.Parse("10.77.0.100"));
        var frame = await CaptureAsync(capture, f => EtherType(f) == 0x0806);

        var expected = new byte[NeighbourFrames.GratuitousArpLength];
        NeighbourFrames.WriteGratuitousArp(expected, announcer.HardwareAddress.GetAddressBytes(), IPAddress.Parse("10.77.0.100"));
        Assert.Equal(Hex.Format(expected), Hex.Format(frame.AsSpan(0, expected.Length)));
        Assert.Equal(announcer.HardwareAddress, new PhysicalAddress(frame[6..12]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(20))); // ARP request
    }

    [Fact]
    public async Task SendUnsolicitedNeighbourAdvertisement_OnVa_PeerCapturesNaWithHopLimit255()
    {
        using var capture = PacketSocket.Open("vb", Interop.Constants.ETH_P_ALL, _b);
        using var announcer = NeighbourAnnouncer.Open("va", _a);

        announcer.SendUnsolicitedNeighbourAdvertisement(IPAddress.Parse("fd77::100"));
        var frame = await CaptureAsync(capture, f => EtherType(f) == 0x86DD && f.Length > 54 && f[20] == 58 && f[54] == 136);

        Assert.Equal(255, frame[21]);                                             // hop limit
        Assert.Equal(IPAddress.Parse("fd77::100"), new IPAddress(frame.AsSpan(22, 16)));
        Assert.Equal(IPAddress.Parse("ff02::1"), new IPAddress(frame.AsSpan(38, 16)));
        Assert.Equal(0x20, frame[58]);                                            // override, not solicited
        Assert.Equal(IPAddress.Parse("fd77::100"), new IPAddress(frame.AsSpan(62, 16)));
        Assert.Equal(announcer.HardwareAddress, new PhysicalAddress(frame[80..86])); // target link-layer option
    }

    [Fact]
    public async Task Announce_WithVirtualMac_UsesItAsSender()
    {
        using var capture = PacketSocket.Open("vb", Interop.Constants.ETH_P_ALL, _b);
        using var announcer = NeighbourAnnouncer.Open("va", _a);
        var vmac = PhysicalAddress.Parse("00-00-5E-00-01-33");

        announcer.Announce(IPAddress.Parse("10.77.0.100"), vmac);
        var frame = await CaptureAsync(capture, f => EtherType(f) == 0x0806);

        Assert.Equal(vmac, new PhysicalAddress(frame[6..12]));   // Ethernet source
        Assert.Equal(vmac, new PhysicalAddress(frame[22..28]));  // ARP sender hardware address
    }

    [Fact]
    public void Open_UnknownInterface_ThrowsEnodev()
    {
        var error = Assert.Throws<KernelException>(() => NeighbourAnnouncer.Open("nosuch0", _a));
        Assert.Equal(Errno.ENODEV, error.Errno);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _lab.Dispose();
    }

    private static int EtherType(byte[] frame) => frame.Length >= 14 ? BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) : -1;

    /// <summary>Returns the first captured frame that matches; other traffic (MLD, RS) is skipped, bounded in count and time.</summary>
    private static async Task<byte[]> CaptureAsync(PacketSocket capture, Func<byte[], bool> match)
    {
        using var timeout = new CancellationTokenSource(CaptureTimeout);
        var buffer = new byte[2048];
        for (var i = 0; i < 1000; i++)
        {
            var length = await capture.ReceiveAsync(buffer, timeout.Token);
            var frame = buffer[..length];
            if (match(frame))
            {
                return frame;
            }
        }
        throw new InvalidOperationException("no matching frame among 1000 captured");
    }
}
