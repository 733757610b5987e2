using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using Vigil.Linux.Vrrp;

namespace Vigil.Linux.Tests.Kernel;

/// <summary>VRRP raw sockets between two lab namespaces (root only).</summary>
public sealed class VrrpSocketKernelTests : IDisposable
{
    // A datagram crosses a veth pair in microseconds; this bound only catches a lost packet.
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(5);

    private static readonly byte[] Payload = Hex.Parse("21336401 00017019 0a4d0064"); // any bytes: the socket does not parse VRRP

    private readonly LabPair _lab;
    private readonly NetworkNamespace _a;
    private readonly NetworkNamespace _b;

    public VrrpSocketKernelTests()
    {
        _lab = LabPair.Create();
        _a = NetworkNamespace.Open(_lab.A);
        _b = NetworkNamespace.Open(_lab.B);
    }

    [Fact]
    public async Task Send_IPv4Multicast_ArrivesWithTtl255AndMetadata()
    {
        using var sender = VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetwork), _a);
        using var receiver = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetwork), _b);

        Assert.Equal(IPAddress.Parse("10.77.0.1"), sender.SourceAddress);
        sender.Send(Payload, VrrpSocket.DefaultGroupIPv4);
        var got = await ReceiveAsync(receiver);

        Assert.Equal(IPAddress.Parse("10.77.0.1"), got.Source);
        Assert.Equal(IPAddress.Parse("224.0.0.18"), got.Destination);
        Assert.Equal(255, got.HopLimit);
        Assert.Equal(112, got.Protocol);
        Assert.Equal(receiver.InterfaceIndex, got.InterfaceIndex);
        Assert.Equal(Payload, got.Payload.ToArray());
        Assert.Equal(0xC0, got.Datagram.Span[1]); // keepalived compat: TOS network control
        Assert.Equal(20 + Payload.Length, got.Datagram.Length);
    }

    [Fact]
    public async Task Send_IPv4UnicastFromChosenSource_ArrivesFromThatSource()
    {
        LabPair.Ip($"-n {_lab.A} addr add 10.77.0.11/24 dev va");
        using var sender = VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetwork)
        {
            SourceAddress = IPAddress.Parse("10.77.0.11"),
            JoinMulticastGroup = false,
        }, _a);
        using var receiver = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetwork) { JoinMulticastGroup = false }, _b);

        sender.Send(Payload, IPAddress.Parse("10.77.0.2"));
        var got = await ReceiveAsync(receiver);

        Assert.Equal(IPAddress.Parse("10.77.0.11"), got.Source);
        Assert.Equal(IPAddress.Parse("10.77.0.2"), got.Destination);
        Assert.Equal(255, got.HopLimit);
    }

    [Fact]
    public async Task Send_IPv4UnicastWithUnicastTtl_UsesIt()
    {
        using var sender = VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetwork) { UnicastHopLimit = 64 }, _a);
        using var receiver = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetwork), _b);

        sender.Send(Payload, IPAddress.Parse("10.77.0.2"));
        Assert.Equal(64, (await ReceiveAsync(receiver)).HopLimit);
        sender.Send(Payload, VrrpSocket.DefaultGroupIPv4);
        Assert.Equal(255, (await ReceiveAsync(receiver)).HopLimit); // multicast stays 255
    }

    [Fact]
    public async Task Send_IPv6Multicast_ArrivesFromLinkLocalWithHopLimit255()
    {
        using var sender = VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetworkV6), _a);
        using var receiver = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetworkV6), _b);

        Assert.True(sender.SourceAddress.IsIPv6LinkLocal);
        sender.Send(Payload, VrrpSocket.DefaultGroupIPv6);
        var got = await ReceiveAsync(receiver);

        Assert.Equal(sender.SourceAddress, got.Source);
        Assert.Equal(IPAddress.Parse("ff02::12"), got.Destination);
        Assert.Equal(255, got.HopLimit);
        Assert.Equal(receiver.InterfaceIndex, got.InterfaceIndex);
        Assert.Equal(112, got.Protocol);
        Assert.Equal(Payload, got.Payload.ToArray());
    }

    [Fact]
    public async Task Send_IPv6Multicast_OnTheWireHasTrafficClassC0AndMulticastMac()
    {
        using var capture = Vigil.Linux.Neighbours.PacketSocket.Open("vb", Interop.Constants.ETH_P_ALL, _b);
        using var sender = VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetworkV6), _a);

        sender.Send(Payload, VrrpSocket.DefaultGroupIPv6);
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        var buffer = new byte[2048];
        byte[] frame = [];
        for (var i = 0; i < 1000 && !(frame.Length > 54 && frame[20] == 112); i++)
        {
            frame = buffer[..await capture.ReceiveAsync(buffer, timeout.Token)];
        }

        Assert.Equal("333300000012", Hex.Format(frame.AsSpan(0, 6)));
        Assert.Equal(0xC0, ((frame[14] & 0x0F) << 4) | (frame[15] >> 4)); // keepalived compat: traffic class 0xc0
        Assert.Equal(255, frame[21]);
        Assert.Equal(Payload, frame[54..]);
    }

    [Fact]
    public async Task Send_IPv6UnicastFromGlobalSource_ArrivesWithHopLimit255()
    {
        using var sender = VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetworkV6)
        {
            SourceAddress = IPAddress.Parse("fd77::1"),
        }, _a);
        using var receiver = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetworkV6), _b);

        sender.Send(Payload, IPAddress.Parse("fd77::2"));
        var got = await ReceiveAsync(receiver);

        Assert.Equal(IPAddress.Parse("fd77::1"), got.Source);
        Assert.Equal(IPAddress.Parse("fd77::2"), got.Destination);
        Assert.Equal(255, got.HopLimit);
    }

    [Fact]
    public async Task Send_Multicast_IsNotLoopedBackToTheSender()
    {
        using var a = VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetwork), _a);
        using var b = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetwork), _b);

        a.Send(Payload, VrrpSocket.DefaultGroupIPv4);
        await ReceiveAsync(b);
        b.Send([1, 2, 3], VrrpSocket.DefaultGroupIPv4);
        var first = await ReceiveAsync(a);

        // A loopback copy would have been queued at send time, before b's reply existed.
        Assert.Equal(IPAddress.Parse("10.77.0.2"), first.Source);
    }

    [Fact]
    public async Task SendIPv4Datagram_HeaderBuiltByCaller_ArrivesAsBuilt()
    {
        using var sender = VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetwork), _a);
        using var receiver = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetwork), _b);
        var datagram = BuildIPv4(protocol: 112, identification: 1, IPAddress.Parse("10.77.0.1"), IPAddress.Parse("224.0.0.18"), Payload);

        sender.SendIPv4Datagram(datagram);
        var got = await ReceiveAsync(receiver);

        Assert.Equal(Hex.Format(datagram), Hex.Format(got.Datagram.Span));
    }

    [Fact]
    public async Task Open_AhProtocol_ReceivesProtocol51AndThe112SocketDoesNot()
    {
        using var sender = VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetwork), _a);
        using var vrrp = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetwork), _b);
        using var ah = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetwork) { Protocol = VrrpSocket.AhProtocol }, _b);
        var ahBytes = Hex.Parse("70040000 00000033 00000001 000000000000000000000000").Concat(Payload).ToArray();

        sender.SendIPv4Datagram(BuildIPv4(protocol: 51, identification: 2, IPAddress.Parse("10.77.0.1"), IPAddress.Parse("224.0.0.18"), ahBytes));
        var got = await ReceiveAsync(ah);
        sender.Send(Payload, VrrpSocket.DefaultGroupIPv4);
        var next = await ReceiveAsync(vrrp);

        Assert.Equal(51, got.Protocol);
        Assert.Equal(ahBytes, got.Payload.ToArray());
        Assert.Equal(112, next.Protocol); // the AH datagram never reached the protocol 112 socket
    }

    [Fact]
    public async Task ReceiveAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var socket = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetwork), _b);
        using var cancel = new CancellationTokenSource();

        var pending = socket.ReceiveAsync(new byte[2048], cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public void Open_UnknownInterface_ThrowsEnodev()
    {
        var error = Assert.Throws<KernelException>(() => VrrpSocket.Open(new VrrpSocketOptions("nosuch0", AddressFamily.InterNetwork), _a));
        Assert.Equal(Errno.ENODEV, error.Errno);
    }

    [Fact]
    public void Open_InterfaceWithoutIPv4_ThrowsEaddrnotavail()
    {
        LabPair.Ip($"-n {_lab.A} addr flush dev va");
        var error = Assert.Throws<KernelException>(() => VrrpSocket.Open(new VrrpSocketOptions("va", AddressFamily.InterNetwork), _a));
        Assert.Equal(Errno.EADDRNOTAVAIL, error.Errno);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _lab.Dispose();
    }

    private static async Task<VrrpDatagram> ReceiveAsync(VrrpSocket socket)
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        return await socket.ReceiveAsync(new byte[2048], timeout.Token);
    }

    private static byte[] BuildIPv4(byte protocol, ushort identification, IPAddress source, IPAddress destination, byte[] payload)
    {
        var d = new byte[20 + payload.Length];
        d[0] = 0x45;
        d[1] = 0xC0;
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(2), (ushort)d.Length);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(4), identification);
        d[8] = 255;
        d[9] = protocol;
        source.TryWriteBytes(d.AsSpan(12), out _);
        destination.TryWriteBytes(d.AsSpan(16), out _);
        uint sum = 0;
        for (var i = 0; i < 20; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(i));
        }
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(10), (ushort)~sum);
        payload.CopyTo(d, 20);
        return d;
    }
}
