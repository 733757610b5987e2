using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Checks.Tests.Fakes;

/// <summary>A UDP responder on 127.0.0.1 whose reply to each datagram the test sets (null: stay silent).</summary>
internal sealed class FakeUdpServer : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeUdpServer(Func<byte[], byte[]?> reply)
    {
        Reply = reply;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = LoopAsync();
    }

    public Func<byte[], byte[]?> Reply { get; set; }

    public List<byte[]> Received { get; } = [];

    public IPEndPoint Endpoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>A loopback UDP port nobody listens on (bound and released), so datagrams draw ICMP port unreachable.</summary>
    public static IPEndPoint ClosedPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)s.LocalEndPoint!;
    }

    /// <summary>A DNS responder: echoes the question with the given rcode and answer count (and optional id skew).</summary>
    public static Func<byte[], byte[]?> Dns(int rcode, ushort answers, bool wrongId = false, bool notResponse = false) =>
        query =>
        {
            var response = (byte[])query.Clone();
            if (wrongId) BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(response) + 1));
            var flags = (ushort)((notResponse ? 0 : 0x8000) | 0x0100 | 0x0080 | (rcode & 0xF));
            BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(2), flags);
            BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(6), answers);
            return response;
        };

    private async Task LoopAsync()
    {
        var buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            var datagram = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
            lock (Received) Received.Add(datagram);
            if (Reply(datagram) is { } reply)
            {
                try
                {
                    await _socket.SendToAsync(reply, SocketFlags.None, r.RemoteEndPoint);
                }
                catch (SocketException)
                {
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _loop;
    }
}
