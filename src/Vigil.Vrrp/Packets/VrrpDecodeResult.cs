using System.Diagnostics.CodeAnalysis;

namespace Vigil.Vrrp.Packets;

/// <summary>The outcome of decoding one packet: an advert, or the reason it was dropped. Never an exception.</summary>
/// <param name="Reason"><see cref="VrrpDropReason.None"/> when <see cref="Advert"/> is set.</param>
/// <param name="Advert">The advert, when accepted.</param>
/// <param name="Info">Receive metadata (source, destination, hop limit); default when the IP header was unreadable.</param>
public readonly record struct VrrpDecodeResult(VrrpDropReason Reason, VrrpAdvert? Advert, VrrpReceiveInfo Info)
{
    /// <summary>True when the packet passed every receive check.</summary>
    [MemberNotNullWhen(true, nameof(Advert))]
    public bool IsAccepted => Reason == VrrpDropReason.None && Advert is not null;

    internal static VrrpDecodeResult Drop(VrrpDropReason reason, in VrrpReceiveInfo info) => new(reason, null, info);
}

/// <summary>What the encoder needs beside the advert: the addresses for the checksum and the v2 key.</summary>
/// <param name="Source">IP source of the packet (our primary address, or unicast_src_ip / mcast_src_ip).</param>
/// <param name="Destination">IP destination (multicast group or one unicast peer: v3 checksums differ per peer).</param>
public readonly record struct VrrpEncodeContext(System.Net.IPAddress Source, System.Net.IPAddress Destination)
{
    /// <summary>v2 PASS password bytes (first 8 used) or AH key.</summary>
    public ReadOnlyMemory<byte> AuthKey { get; init; }

    /// <summary>v3 over IPv4: leave the pseudo-header out of the checksum.</summary>
    public bool V3ChecksumAsV2 { get; init; }
}
