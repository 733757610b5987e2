using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Vrrp.Packets;

/// <summary>
/// Whole IPv4 VRRP datagrams, as a raw socket with IP_HDRINCL sends them and as an IPv4 raw socket receives
/// them (Linux hands IPv4 raw sockets the IP header). Needed for v2 AH, whose ICV covers the IP header;
/// useful for every IPv4 advert because TTL, destination and total length are all read from the header.
/// </summary>
public static class VrrpIPv4Datagram
{
    /// <summary>IPv4 header without options.</summary>
    public const int HeaderLength = 20;

    /// <summary>keepalived compat: TOS 0xc0 (precedence "network control") on every advert.</summary>
    public const byte TypeOfService = 0xc0;

    /// <summary>RFC 5798 §5.1.1.3: TTL 255.</summary>
    public const byte Ttl = 255;

    /// <summary>Total datagram length for an advert.</summary>
    public static int GetLength(VrrpAdvert advert)
    {
        ArgumentNullException.ThrowIfNull(advert);
        return HeaderLength
            + (advert.AuthType == VrrpAuthType.Ah ? VrrpAuthHeader.Length : 0)
            + VrrpCodec.GetPayloadLength(advert.Version, AddressFamily.InterNetwork, advert.Addresses.Count);
    }

    /// <summary>Encodes a complete IPv4 datagram (header, AH if the advert says so, VRRP) as a new array.</summary>
    public static byte[] Encode(VrrpAdvert advert, in VrrpEncodeContext context, ushort identification, uint ahSequence)
    {
        var buffer = new byte[GetLength(advert)];
        Encode(advert, buffer, context, identification, ahSequence);
        return buffer;
    }

    /// <summary>Encodes a complete IPv4 datagram into <paramref name="destination"/>; returns its length.</summary>
    /// <param name="advert">The advert; <see cref="VrrpAdvert.AuthType"/> Ah adds the AH header.</param>
    /// <param name="destination">Buffer of at least <see cref="GetLength"/> bytes.</param>
    /// <param name="context">Source, destination and key.</param>
    /// <param name="identification">IP identification (keepalived counts it up per advert).</param>
    /// <param name="ahSequence">AH sequence number, one more per advert, starting at 1.</param>
    public static int Encode(VrrpAdvert advert, Span<byte> destination, in VrrpEncodeContext context, ushort identification, uint ahSequence)
    {
        int length = GetLength(advert);
        if (destination.Length < length)
        {
            throw new ArgumentException("Buffer too small for the datagram.", nameof(destination));
        }

        if (context.Source.AddressFamily != AddressFamily.InterNetwork || context.Destination.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("IPv4 datagrams need IPv4 source and destination.", nameof(context));
        }

        Span<byte> d = destination[..length];
        bool ah = advert.AuthType == VrrpAuthType.Ah;
        int vrrpOffset = HeaderLength + (ah ? VrrpAuthHeader.Length : 0);
        VrrpCodec.EncodePayload(advert, d[vrrpOffset..], context);

        d[0] = 0x45; // version 4, IHL 5 words
        d[1] = TypeOfService;
        BinaryPrimitives.WriteUInt16BigEndian(d[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(d[4..], identification);
        d[6] = 0;
        d[7] = 0;
        d[8] = Ttl;
        d[9] = ah ? VrrpAuthHeader.ProtocolNumber : VrrpChecksum.ProtocolNumber;
        d[10] = 0;
        d[11] = 0;
        context.Source.TryWriteBytes(d[12..], out _);
        context.Destination.TryWriteBytes(d[16..], out _);
        if (ah)
        {
            uint spi = BinaryPrimitives.ReadUInt32BigEndian(d[12..]);
            VrrpAuthHeader.Write(d, HeaderLength, spi, ahSequence, context.AuthKey.Span);
        }

        BinaryPrimitives.WriteUInt16BigEndian(d[10..], VrrpChecksum.Compute(d[..HeaderLength]));
        return length;
    }

    /// <summary>Reads version and VRID behind the IPv4 (and AH) header without validating, to route a datagram to its router.</summary>
    public static bool TryPeek(ReadOnlySpan<byte> datagram, out VrrpVersion version, out byte virtualRouterId)
    {
        version = default;
        virtualRouterId = 0;
        if (datagram.Length < HeaderLength || (datagram[0] >> 4) != 4)
        {
            return false;
        }

        int offset = (datagram[0] & 0x0f) * 4;
        if (datagram[9] == VrrpAuthHeader.ProtocolNumber)
        {
            offset += VrrpAuthHeader.Length;
        }

        return offset >= HeaderLength && offset < datagram.Length && VrrpCodec.TryPeek(datagram[offset..], out version, out virtualRouterId);
    }

    /// <summary>Decodes a received IPv4 datagram (header included) for the router described by <paramref name="policy"/>.</summary>
    public static VrrpDecodeResult Decode(ReadOnlySpan<byte> datagram, VrrpReceivePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (datagram.Length < HeaderLength || (datagram[0] >> 4) != 4)
        {
            return VrrpDecodeResult.Drop(datagram.Length < HeaderLength ? VrrpDropReason.TooShort : VrrpDropReason.BadLength, default);
        }

        int ihl = (datagram[0] & 0x0f) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        var info = new VrrpReceiveInfo(new IPAddress(datagram.Slice(12, 4)), new IPAddress(datagram.Slice(16, 4)), datagram[8]);
        if (ihl < HeaderLength || total < ihl || total > datagram.Length)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.BadLength, info);
        }

        datagram = datagram[..total];
        int ahOffset = -1;
        int vrrpOffset = ihl;
        if (datagram[9] == VrrpAuthHeader.ProtocolNumber)
        {
            if (total < ihl + VrrpAuthHeader.Length)
            {
                return VrrpDecodeResult.Drop(VrrpDropReason.TooShort, info);
            }

            int ahLength = (datagram[ihl + 1] + 2) * 4;
            if (datagram[ihl] != VrrpChecksum.ProtocolNumber || ahLength != VrrpAuthHeader.Length)
            {
                return VrrpDecodeResult.Drop(VrrpDropReason.BadLength, info);
            }

            ahOffset = ihl;
            vrrpOffset = ihl + ahLength;
        }
        else if (datagram[9] != VrrpChecksum.ProtocolNumber)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.BadType, info);
        }

        return VrrpCodec.DecodePayload(datagram[vrrpOffset..], info, policy, datagram, ahOffset);
    }
}
