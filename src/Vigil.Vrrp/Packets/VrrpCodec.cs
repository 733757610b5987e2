using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Vigil.Vrrp.Packets;

/// <summary>
/// Encoder and decoder of the VRRP message (what follows the IP header, or the AH header for v2 AH).
/// Byte order is handled here and in <see cref="VrrpIPv4Datagram"/> only.
/// </summary>
public static class VrrpCodec
{
    /// <summary>Version/type, VRID, priority, count, (auth type, adver int | rsvd+max adver int), checksum.</summary>
    public const int HeaderLength = 8;

    /// <summary>v2 trailing authentication data [RFC 3768 §5.3.10].</summary>
    public const int V2AuthDataLength = 8;

    /// <summary>The only VRRP message type [RFC 5798 §5.2.2].</summary>
    public const byte AdvertisementType = 1;

    /// <summary>v3 Max Adver Int is a 12-bit count of centiseconds [RFC 5798 §5.2.7].</summary>
    public const int MaxV3IntervalCentiseconds = 0x0fff;

    /// <summary>Length of the VRRP message for a version, family and address count.</summary>
    public static int GetPayloadLength(VrrpVersion version, AddressFamily family, int addressCount) =>
        HeaderLength
        + (addressCount * (family == AddressFamily.InterNetworkV6 ? 16 : 4))
        + (version == VrrpVersion.V2 ? V2AuthDataLength : 0);

    /// <summary>v2 interval field: whole seconds, 1-255 (keepalived compat: rounded).</summary>
    public static byte ToV2Seconds(TimeSpan interval) =>
        (byte)Math.Clamp((int)Math.Round(interval.TotalSeconds, MidpointRounding.AwayFromZero), 1, 255);

    /// <summary>v3 interval field: centiseconds, 1-4095.</summary>
    public static ushort ToV3Centiseconds(TimeSpan interval) =>
        (ushort)Math.Clamp((int)Math.Round(interval.TotalMilliseconds / 10, MidpointRounding.AwayFromZero), 1, MaxV3IntervalCentiseconds);

    /// <summary>Encodes <paramref name="advert"/> as a new array.</summary>
    public static byte[] EncodePayload(VrrpAdvert advert, in VrrpEncodeContext context)
    {
        ArgumentNullException.ThrowIfNull(advert);
        var buffer = new byte[GetPayloadLength(advert.Version, context.Source.AddressFamily, advert.Addresses.Count)];
        EncodePayload(advert, buffer, context);
        return buffer;
    }

    /// <summary>Encodes <paramref name="advert"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">Too many addresses, mixed families, or the buffer is too small.</exception>
    public static int EncodePayload(VrrpAdvert advert, Span<byte> destination, in VrrpEncodeContext context)
    {
        ArgumentNullException.ThrowIfNull(advert);
        AddressFamily family = context.Source.AddressFamily;
        if (advert.Addresses.Count > 255)
        {
            throw new ArgumentException("A VRRP advert carries at most 255 addresses [RFC 5798 §5.2.5].", nameof(advert));
        }

        int length = GetPayloadLength(advert.Version, family, advert.Addresses.Count);
        if (destination.Length < length)
        {
            throw new ArgumentException("Buffer too small for the advert.", nameof(destination));
        }

        Span<byte> msg = destination[..length];
        msg[0] = (byte)(((byte)advert.Version << 4) | AdvertisementType);
        msg[1] = advert.VirtualRouterId;
        msg[2] = advert.Priority;
        msg[3] = (byte)advert.Addresses.Count;
        if (advert.Version == VrrpVersion.V2)
        {
            msg[4] = (byte)advert.AuthType;
            msg[5] = ToV2Seconds(advert.AdvertInterval);
        }
        else
        {
            // High 4 bits reserved, zero on transmit [RFC 5798 §5.2.6].
            BinaryPrimitives.WriteUInt16BigEndian(msg[4..], ToV3Centiseconds(advert.AdvertInterval));
        }

        msg[6] = 0;
        msg[7] = 0;
        int offset = HeaderLength;
        for (int i = 0; i < advert.Addresses.Count; i++)
        {
            IPAddress address = advert.Addresses[i];
            if (address.AddressFamily != family || !address.TryWriteBytes(msg[offset..], out int written))
            {
                throw new ArgumentException("Every VRRP address must be of the source address family.", nameof(advert));
            }

            offset += written;
        }

        if (advert.Version == VrrpVersion.V2)
        {
            Span<byte> auth = msg.Slice(offset, V2AuthDataLength);
            auth.Clear();
            if (advert.AuthType == VrrpAuthType.Pass)
            {
                ReadOnlySpan<byte> key = context.AuthKey.Span;
                key[..Math.Min(key.Length, V2AuthDataLength)].CopyTo(auth);
            }
        }

        bool pseudo = UsesPseudoHeader(advert.Version, family, context.V3ChecksumAsV2);
        ushort sum = VrrpChecksum.Compute(msg, pseudo, context.Source, context.Destination);
        BinaryPrimitives.WriteUInt16BigEndian(msg[6..], sum);
        return length;
    }

    /// <summary>Reads the version and VRID without validating anything else, to route a packet to its router.</summary>
    public static bool TryPeek(ReadOnlySpan<byte> payload, out VrrpVersion version, out byte virtualRouterId)
    {
        version = default;
        virtualRouterId = 0;
        if (payload.Length < HeaderLength)
        {
            return false;
        }

        version = (VrrpVersion)(payload[0] >> 4);
        virtualRouterId = payload[1];
        return true;
    }

    /// <summary>
    /// Decodes and validates a VRRP message for the router described by <paramref name="policy"/>.
    /// For IPv4 v2 AH use <see cref="VrrpIPv4Datagram.Decode"/>: the ICV covers the IP header.
    /// </summary>
    public static VrrpDecodeResult DecodePayload(ReadOnlySpan<byte> payload, in VrrpReceiveInfo info, VrrpReceivePolicy policy) =>
        DecodePayload(payload, info, policy, default, -1);

    internal static VrrpDecodeResult DecodePayload(
        ReadOnlySpan<byte> payload, in VrrpReceiveInfo info, VrrpReceivePolicy policy, ReadOnlySpan<byte> ipDatagram, int ahOffset)
    {
        ArgumentNullException.ThrowIfNull(policy);

        // keepalived compat: the check order follows keepalived's receive path so the same packet is
        // counted under the same reason by both: length, TTL, version, auth, v2 interval, type, length, checksum, cast.
        if (payload.Length < HeaderLength)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.TooShort, info);
        }

        if (info.Source is null || info.Destination is null || info.Source.AddressFamily != policy.Family)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.WrongAddressFamily, info);
        }

        if (payload[1] != policy.VirtualRouterId)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.WrongVirtualRouterId, info);
        }

        foreach (IPAddress own in policy.OwnAddresses)
        {
            if (own.Equals(info.Source))
            {
                return VrrpDecodeResult.Drop(VrrpDropReason.OwnAdvert, info);
            }
        }

        bool multicast = info.IsMulticast;
        if (multicast ? info.HopLimit != 255 : info.HopLimit < policy.UnicastMinTtl || info.HopLimit > policy.UnicastMaxTtl)
        {
            // RFC 5798 §7.1: TTL/hop limit must be 255; keepalived compat: unicast uses min_ttl/max_ttl instead.
            return VrrpDecodeResult.Drop(VrrpDropReason.BadTtl, info);
        }

        var version = (VrrpVersion)(payload[0] >> 4);
        if (version != policy.Version)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.BadVersion, info);
        }

        int count = payload[3];
        int expected = GetPayloadLength(version, policy.Family, count);
        if (payload.Length < expected)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.TooShort, info);
        }

        VrrpAuthType authType = VrrpAuthType.None;
        TimeSpan interval;
        if (version == VrrpVersion.V2)
        {
            authType = (VrrpAuthType)payload[4];
            VrrpDropReason auth = CheckV2Auth(payload, expected, authType, policy, ipDatagram, ahOffset);
            if (auth != VrrpDropReason.None)
            {
                return VrrpDecodeResult.Drop(auth, info);
            }

            // keepalived compat: a v2 interval mismatch is a drop (RFC 3768 §7.1), never adopted.
            if (payload[5] != ToV2Seconds(policy.AdvertInterval))
            {
                return VrrpDecodeResult.Drop(VrrpDropReason.IntervalMismatch, info);
            }

            interval = TimeSpan.FromSeconds(payload[5]);
        }
        else
        {
            int centiseconds = BinaryPrimitives.ReadUInt16BigEndian(payload[4..]) & MaxV3IntervalCentiseconds;
            interval = TimeSpan.FromMilliseconds(centiseconds * 10);
        }

        if ((payload[0] & 0x0f) != AdvertisementType)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.BadType, info);
        }

        bool pseudo = UsesPseudoHeader(version, policy.Family, policy.V3ChecksumAsV2);
        if (VrrpChecksum.Compute(payload, pseudo, info.Source, info.Destination) != 0)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.BadChecksum, info);
        }

        if (multicast == policy.Unicast)
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.MulticastUnicastMismatch, info);
        }

        if (!multicast && policy.CheckUnicastSource && !policy.UnicastPeers.Contains(info.Source))
        {
            return VrrpDecodeResult.Drop(VrrpDropReason.UnknownUnicastSource, info);
        }

        int size = policy.Family == AddressFamily.InterNetworkV6 ? 16 : 4;
        var addresses = new IPAddress[count];
        for (int i = 0; i < count; i++)
        {
            addresses[i] = new IPAddress(payload.Slice(HeaderLength + (i * size), size));
        }

        var advert = new VrrpAdvert(version, payload[1], payload[2], interval, addresses) { AuthType = authType };
        return new VrrpDecodeResult(VrrpDropReason.None, advert, info);
    }

    private static VrrpDropReason CheckV2Auth(
        ReadOnlySpan<byte> payload, int expected, VrrpAuthType authType, VrrpReceivePolicy policy, ReadOnlySpan<byte> ipDatagram, int ahOffset)
    {
        bool hasAh = ahOffset >= 0;
        if (authType != policy.AuthType || hasAh != (policy.AuthType == VrrpAuthType.Ah))
        {
            return VrrpDropReason.AuthTypeMismatch;
        }

        switch (policy.AuthType)
        {
            case VrrpAuthType.Pass:
                Span<byte> key = stackalloc byte[V2AuthDataLength];
                key.Clear();
                ReadOnlySpan<byte> configured = policy.AuthKey.Span;
                configured[..Math.Min(configured.Length, V2AuthDataLength)].CopyTo(key);
                ReadOnlySpan<byte> received = payload.Slice(expected - V2AuthDataLength, V2AuthDataLength);
                return CryptographicOperations.FixedTimeEquals(key, received) ? VrrpDropReason.None : VrrpDropReason.AuthFailure;
            case VrrpAuthType.Ah:
                return VrrpAuthHeader.Verify(ipDatagram, ahOffset, policy.AuthKey.Span) ? VrrpDropReason.None : VrrpDropReason.AuthFailure;
            default:
                return VrrpDropReason.None;
        }
    }

    private static bool UsesPseudoHeader(VrrpVersion version, AddressFamily family, bool v3ChecksumAsV2) =>
        version == VrrpVersion.V3 && (family == AddressFamily.InterNetworkV6 || !v3ChecksumAsV2);
}
