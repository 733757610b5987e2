using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Linux.Neighbours;

/// <summary>
/// Ethernet frames that announce a virtual address: gratuitous ARP (RFC 5227 §3 ARP Announcement) and
/// unsolicited Neighbour Advertisement (RFC 4861 §7.2.6). Pure code; the layouts match what
/// keepalived 2.2.7 sends, field for field (see the golden tests).
/// </summary>
public static class NeighbourFrames
{
    public const int EthernetHeaderLength = 14;

    /// <summary>14 Ethernet + 28 ARP. Not padded to 60: the driver pads, as for keepalived's frames.</summary>
    public const int GratuitousArpLength = EthernetHeaderLength + 28;

    /// <summary>14 Ethernet + 40 IPv6 + 24 NA + 8 target link-layer address option.</summary>
    public const int NeighbourAdvertisementLength = EthernetHeaderLength + 40 + 24 + 8;

    private const int MacLength = 6;
    private const byte IcmpV6 = 58;
    private const byte NeighbourAdvertisementType = 136;
    private const uint RouterFlag = 0x8000_0000;
    private const uint OverrideFlag = 0x2000_0000;

    /// <summary>ff02::1, all nodes (RFC 4861 §7.2.6: unsolicited advertisements go there).</summary>
    public static readonly IPAddress AllNodes = IPAddress.Parse("ff02::1");

    /// <summary>
    /// Writes a gratuitous ARP request for <paramref name="address"/>: broadcast, sender = target =
    /// the address, sender hardware = <paramref name="mac"/>. Returns the frame length.
    /// </summary>
    public static int WriteGratuitousArp(Span<byte> frame, ReadOnlySpan<byte> mac, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (mac.Length != MacLength || address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("Gratuitous ARP needs a 6-byte MAC and an IPv4 address.");
        }
        var f = frame[..GratuitousArpLength];
        f[..6].Fill(0xFF);
        mac.CopyTo(f[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], Interop.Constants.ETH_P_ARP);
        var arp = f[EthernetHeaderLength..];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);                                // hardware: Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], Interop.Constants.ETH_P_IP); // protocol: IPv4
        arp[4] = MacLength;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], 1);                           // request
        mac.CopyTo(arp[8..]);
        address.TryWriteBytes(arp[14..18], out _);
        // keepalived compat: the target hardware address is broadcast, not zero as RFC 5227 suggests.
        arp[18..24].Fill(0xFF);
        address.TryWriteBytes(arp[24..28], out _);
        return GratuitousArpLength;
    }

    /// <summary>
    /// Writes an unsolicited Neighbour Advertisement for <paramref name="target"/> to ff02::1 with hop
    /// limit 255, the override flag, the router flag if <paramref name="router"/>, and a target
    /// link-layer address option. The IPv6 source is the target itself (keepalived compat). Returns the length.
    /// </summary>
    public static int WriteUnsolicitedNeighbourAdvertisement(Span<byte> frame, ReadOnlySpan<byte> mac, IPAddress target, bool router = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (mac.Length != MacLength || target.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("Neighbour Advertisement needs a 6-byte MAC and an IPv6 address.");
        }
        var f = frame[..NeighbourAdvertisementLength];
        f.Clear();
        // RFC 2464 §7: IPv6 multicast maps to 33:33 + the low 32 bits of the group.
        f[0] = 0x33;
        f[1] = 0x33;
        f[5] = 0x01;
        mac.CopyTo(f[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], Interop.Constants.ETH_P_IPV6);

        var ip = f[EthernetHeaderLength..];
        ip[0] = 0x60;                                          // version 6, traffic class 0, flow label 0
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 32);    // payload: 24 NA + 8 option
        ip[6] = IcmpV6;
        ip[7] = 255;                                           // RFC 4861 §7.1.2: hop limit 255
        target.TryWriteBytes(ip[8..24], out _);
        AllNodes.TryWriteBytes(ip[24..40], out _);

        var icmp = ip[40..];
        icmp[0] = NeighbourAdvertisementType;
        BinaryPrimitives.WriteUInt32BigEndian(icmp[4..], OverrideFlag | (router ? RouterFlag : 0));
        target.TryWriteBytes(icmp[8..24], out _);
        icmp[24] = 2;                                          // option: target link-layer address
        icmp[25] = 1;                                          // length in units of 8 bytes
        mac.CopyTo(icmp[26..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], IcmpV6Checksum(ip[8..24], ip[24..40], icmp[..32]));
        return NeighbourAdvertisementLength;
    }

    /// <summary>RFC 4443 §2.3: the one's-complement sum over the IPv6 pseudo-header and the message.</summary>
    internal static ushort IcmpV6Checksum(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> message)
    {
        ulong sum = Sum(source) + Sum(destination) + (uint)message.Length + IcmpV6 + Sum(message);
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    private static ulong Sum(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (i < data.Length)
        {
            sum += (ulong)data[i] << 8;
        }
        return sum;
    }
}
