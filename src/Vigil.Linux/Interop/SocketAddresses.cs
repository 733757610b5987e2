using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using static Vigil.Linux.Interop.Constants;

namespace Vigil.Linux;

/// <summary>sockaddr encoders (pure). The family is host order; ports and protocols are network order.</summary>
internal static class SocketAddresses
{
    public const int InetLength = 16;
    public const int Inet6Length = 28;
    public const int NetlinkLength = 12;
    public const int PacketLength = 20;

    /// <summary>Writes sockaddr_in or sockaddr_in6 (port 0) and returns its length.</summary>
    public static int WriteInet(Span<byte> destination, IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            destination[..InetLength].Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(destination, AF_INET);
            address.TryWriteBytes(destination[4..8], out _);
            return InetLength;
        }
        destination[..Inet6Length].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(destination, AF_INET6);
        address.TryWriteBytes(destination[8..24], out _);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)address.ScopeId);
        return Inet6Length;
    }

    /// <summary>Writes sockaddr_nl: port id 0 lets the kernel pick; groups is the legacy bit mask.</summary>
    public static int WriteNetlink(Span<byte> destination, uint groups)
    {
        destination[..NetlinkLength].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(destination, AF_NETLINK);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], groups);
        return NetlinkLength;
    }

    /// <summary>Writes sockaddr_ll for an interface and an EtherType (0 = none).</summary>
    public static int WritePacket(Span<byte> destination, int interfaceIndex, ushort etherType)
    {
        destination[..PacketLength].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(destination, AF_PACKET);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], etherType);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], interfaceIndex);
        return PacketLength;
    }
}
