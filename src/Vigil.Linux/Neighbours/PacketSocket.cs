using System.Net.Sockets;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using static Vigil.Linux.Interop.Constants;

namespace Vigil.Linux.Neighbours;

/// <summary>
/// An AF_PACKET SOCK_RAW socket on one interface: sends whole Ethernet frames and, when opened with an
/// EtherType, receives them (tests capture GARP/NA with it). Protocol 0 means send-only: the kernel
/// queues nothing for it.
/// </summary>
internal sealed class PacketSocket : IDisposable
{
    private readonly SafeSocketHandle _handle;
    private readonly Socket _socket;

    private PacketSocket(SafeSocketHandle handle, LinkInfo link)
    {
        _handle = handle;
        _socket = new Socket(handle);
        Link = link;
    }

    public LinkInfo Link { get; }

    /// <summary>Opens the socket on <paramref name="interfaceName"/> in <paramref name="ns"/>; etherType 0 is send-only, ETH_P_ALL captures all.</summary>
    public static PacketSocket Open(string interfaceName, ushort etherType, NetworkNamespace? ns = null)
    {
        LinkInfo link;
        using (var rtnl = RouteNetlink.Open(ns))
        {
            link = rtnl.GetLink(interfaceName)
                ?? throw new KernelException(Errno.ENODEV, $"packet socket on {interfaceName}", "no such interface");
        }
        var protocol = (int)(ushort)((etherType << 8) | (etherType >> 8)); // htons
        var handle = NetworkNamespace.Within(ns, () => SocketCalls.Create(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, protocol, $"AF_PACKET on {interfaceName}"));
        try
        {
            Span<byte> address = stackalloc byte[SocketAddresses.PacketLength];
            SocketCalls.Bind(handle, address[..SocketAddresses.WritePacket(address, link.Index, etherType)], $"AF_PACKET {interfaceName}");
            return new PacketSocket(handle, link);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Sends one frame (Ethernet header included) out of the interface.</summary>
    public void Send(ReadOnlySpan<byte> frame, ushort etherType, string what)
    {
        Span<byte> address = stackalloc byte[SocketAddresses.PacketLength];
        var length = SocketAddresses.WritePacket(address, Link.Index, etherType);
        SocketCalls.SendTo(_handle, frame, address[..length], MSG_DONTWAIT, $"{what} on {Link.Name}");
    }

    /// <summary>Waits for the next frame and copies it into <paramref name="buffer"/>; returns its length (truncated frames are cut).</summary>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var received = TryReceive(buffer.Span);
            if (received >= 0)
            {
                return received;
            }
            await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _handle.Dispose();
    }

    private unsafe int TryReceive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var iov = new Interop.Libc.IoVec { Base = p, Length = (nuint)buffer.Length };
            var message = new Interop.Libc.MsgHdr { Iov = &iov, IovLength = 1 };
            return SocketCalls.RecvMsg(_handle, &message, MSG_DONTWAIT, $"AF_PACKET on {Link.Name}");
        }
    }
}
