using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using static Vigil.Linux.Interop.Constants;

namespace Vigil.Linux.Vrrp;

/// <summary>What the ancillary data of one received datagram said.</summary>
internal struct ReceivedControl
{
    public int InterfaceIndex;
    public IPAddress? Destination;
    public int HopLimit;
}

/// <summary>
/// Ancillary data (cmsg) encoding for sendmsg/recvmsg on LP64 Linux: a 16-byte cmsghdr (size_t length,
/// int level, int type), data padded to 8 bytes (CMSG_ALIGN). Pure code.
/// </summary>
internal static class ControlMessages
{
    private const int HeaderSize = 16;
    private const int InPktInfoSize = 12;   // struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }
    private const int In6PktInfoSize = 20;  // struct in6_pktinfo { in6_addr addr; int ifindex; }

    /// <summary>Room for IPV6_PKTINFO and IPV6_HOPLIMIT (or IP_PKTINFO), with slack for the kernel's own.</summary>
    public const int ReceiveBufferSize = 128;

    public static int Space(int dataLength) => HeaderSize + Align(dataLength);

    /// <summary>
    /// Writes IP_PKTINFO (ipi_spec_dst = source) or IPV6_PKTINFO (ipi6_addr = source) so the datagram
    /// leaves from <paramref name="source"/> on <paramref name="interfaceIndex"/>. Returns the length.
    /// </summary>
    public static int WritePacketInfo(Span<byte> control, IPAddress source, int interfaceIndex)
    {
        if (source.AddressFamily == AddressFamily.InterNetwork)
        {
            var data = WriteHeader(control, IPPROTO_IP, IP_PKTINFO, InPktInfoSize);
            BinaryPrimitives.WriteInt32LittleEndian(data, interfaceIndex);
            source.TryWriteBytes(data[4..8], out _);
            data[8..12].Clear();
            return Space(InPktInfoSize);
        }
        var data6 = WriteHeader(control, IPPROTO_IPV6, IPV6_PKTINFO, In6PktInfoSize);
        source.TryWriteBytes(data6[..16], out _);
        BinaryPrimitives.WriteInt32LittleEndian(data6[16..], interfaceIndex);
        return Space(In6PktInfoSize);
    }

    /// <summary>Reads IP_PKTINFO, IPV6_PKTINFO and IPV6_HOPLIMIT; ignores anything else or anything short.</summary>
    public static void Parse(ReadOnlySpan<byte> control, ref ReceivedControl result)
    {
        while (control.Length >= HeaderSize)
        {
            var length = (long)BinaryPrimitives.ReadUInt64LittleEndian(control);
            if (length < HeaderSize || length > control.Length)
            {
                return;
            }
            var level = BinaryPrimitives.ReadInt32LittleEndian(control[8..]);
            var type = BinaryPrimitives.ReadInt32LittleEndian(control[12..]);
            var data = control[HeaderSize..(int)length];
            switch (level, type)
            {
                case (IPPROTO_IP, IP_PKTINFO) when data.Length >= InPktInfoSize:
                    result.InterfaceIndex = BinaryPrimitives.ReadInt32LittleEndian(data);
                    result.Destination = new IPAddress(data[8..12]);
                    break;
                case (IPPROTO_IPV6, IPV6_PKTINFO) when data.Length >= In6PktInfoSize:
                    result.Destination = new IPAddress(data[..16]);
                    result.InterfaceIndex = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
                    break;
                case (IPPROTO_IPV6, IPV6_HOPLIMIT) when data.Length >= 4:
                    result.HopLimit = BinaryPrimitives.ReadInt32LittleEndian(data);
                    break;
            }
            var next = HeaderSize + Align((int)length - HeaderSize);
            if (next >= control.Length)
            {
                return;
            }
            control = control[next..];
        }
    }

    private static Span<byte> WriteHeader(Span<byte> control, int level, int type, int dataLength)
    {
        control[..Space(dataLength)].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(control, (ulong)(HeaderSize + dataLength));
        BinaryPrimitives.WriteInt32LittleEndian(control[8..], level);
        BinaryPrimitives.WriteInt32LittleEndian(control[12..], type);
        return control.Slice(HeaderSize, dataLength);
    }

    private static int Align(int length) => (length + 7) & ~7;
}
