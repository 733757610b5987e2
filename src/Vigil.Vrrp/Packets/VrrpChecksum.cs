using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Vrrp.Packets;

/// <summary>Internet checksum (RFC 1071) over the VRRP message, with or without the IP pseudo-header.</summary>
public static class VrrpChecksum
{
    /// <summary>IP protocol number of VRRP [RFC 5798 §5.1.1.3].</summary>
    public const byte ProtocolNumber = 112;

    /// <summary>
    /// The checksum field value for <paramref name="message"/> (whose checksum field must be zero, or is
    /// verified when the result is 0 over a message carrying its checksum).
    /// </summary>
    /// <param name="message">VRRP message.</param>
    /// <param name="pseudoHeader">Include the IPv4/IPv6 pseudo-header [RFC 5798 §5.2.8].</param>
    /// <param name="source">IP source (pseudo-header only).</param>
    /// <param name="destination">IP destination (pseudo-header only).</param>
    public static ushort Compute(ReadOnlySpan<byte> message, bool pseudoHeader, IPAddress? source, IPAddress? destination)
    {
        uint sum = 0;
        if (pseudoHeader)
        {
            ArgumentNullException.ThrowIfNull(source);
            ArgumentNullException.ThrowIfNull(destination);
            Span<byte> addr = stackalloc byte[16];
            bool v6 = source.AddressFamily == AddressFamily.InterNetworkV6;
            if (!source.TryWriteBytes(addr, out int n))
            {
                return 0;
            }

            sum = Add(sum, addr[..n]);
            if (!destination.TryWriteBytes(addr, out n))
            {
                return 0;
            }

            sum = Add(sum, addr[..n]);
            if (v6)
            {
                // RFC 8200 §8.1: 32-bit upper-layer length, 24 zero bits, next header.
                sum += (uint)(message.Length >> 16) + (uint)(message.Length & 0xffff);
                sum += ProtocolNumber;
            }
            else
            {
                // RFC 768 style: zero, protocol, 16-bit length.
                sum += ProtocolNumber;
                sum += (uint)message.Length;
            }
        }

        sum = Add(sum, message);
        return Fold(sum);
    }

    /// <summary>Plain RFC 1071 checksum of <paramref name="data"/> (the IPv4 header checksum).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Fold(Add(0, data));

    private static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        // Fold early so long inputs never overflow.
        return (sum & 0xffff) + (sum >> 16);
    }

    private static ushort Fold(uint sum)
    {
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
