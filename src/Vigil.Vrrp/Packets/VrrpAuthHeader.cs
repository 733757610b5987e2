using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Vigil.Vrrp.Packets;

/// <summary>
/// The IPsec Authentication Header that VRRPv2 "auth_type AH" puts between the IPv4 header and the VRRP
/// message (RFC 2338 §5.3.6.3, RFC 2402). Observed from keepalived 2.2.7 on the wire:
/// next header 112, payload length 4 (24 bytes of AH), SPI = the sender's IPv4 address, a sequence number that
/// grows by one per advert (equal to the IP identification keepalived writes), and a 12-byte HMAC-MD5-96 ICV
/// keyed with the first 8 bytes of auth_pass, computed over the IPv4 header with TOS and header checksum
/// zeroed (keepalived compat: the TTL is NOT zeroed), then the AH with a zero ICV, then the VRRP message.
/// </summary>
public static class VrrpAuthHeader
{
    /// <summary>IP protocol number of AH.</summary>
    public const byte ProtocolNumber = 51;

    /// <summary>Bytes of AH keepalived sends: 12 fixed + 12 ICV.</summary>
    public const int Length = 24;

    /// <summary>The ICV length of HMAC-MD5-96.</summary>
    public const int IcvLength = 12;

    private const int IcvOffset = 12;

    /// <summary>Writes the AH at <paramref name="ahOffset"/> of a complete datagram and fills its ICV.</summary>
    internal static void Write(Span<byte> datagram, int ahOffset, uint spi, uint sequence, ReadOnlySpan<byte> key)
    {
        Span<byte> ah = datagram.Slice(ahOffset, Length);
        ah[0] = VrrpChecksum.ProtocolNumber;
        ah[1] = (Length / 4) - 2;
        ah[2] = 0;
        ah[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(ah[4..], spi);
        BinaryPrimitives.WriteUInt32BigEndian(ah[8..], sequence);
        ah.Slice(IcvOffset, IcvLength).Clear();
        Span<byte> icv = stackalloc byte[IcvLength];
        ComputeIcv(datagram, ahOffset, key, icv);
        icv.CopyTo(ah[IcvOffset..]);
    }

    /// <summary>True when the AH at <paramref name="ahOffset"/> carries the right ICV for <paramref name="key"/>.</summary>
    internal static bool Verify(ReadOnlySpan<byte> datagram, int ahOffset, ReadOnlySpan<byte> key)
    {
        if (ahOffset < 0 || datagram.Length < ahOffset + Length)
        {
            return false;
        }

        Span<byte> icv = stackalloc byte[IcvLength];
        ComputeIcv(datagram, ahOffset, key, icv);
        return CryptographicOperations.FixedTimeEquals(icv, datagram.Slice(ahOffset + IcvOffset, IcvLength));
    }

    private static void ComputeIcv(ReadOnlySpan<byte> datagram, int ahOffset, ReadOnlySpan<byte> key, Span<byte> icv)
    {
        byte[] copy = datagram.ToArray();
        copy[1] = 0; // TOS is mutable [RFC 2402 §3.3.3.1.1.1]
        copy[6] = 0; // flags and fragment offset (keepalived sends them zero anyway)
        copy[7] = 0;
        copy[10] = 0; // header checksum
        copy[11] = 0;
        copy.AsSpan(ahOffset + IcvOffset, IcvLength).Clear();
        Span<byte> keyBytes = stackalloc byte[VrrpCodec.V2AuthDataLength];
        keyBytes.Clear();
        key[..Math.Min(key.Length, keyBytes.Length)].CopyTo(keyBytes);
        Span<byte> mac = stackalloc byte[16];
#pragma warning disable CA5351 // RFC 2338 VRRP AH mandates HMAC-MD5-96; kept only for interoperability with keepalived.
        HMACMD5.HashData(keyBytes, copy, mac);
#pragma warning restore CA5351
        mac[..IcvLength].CopyTo(icv);
    }
}
