using System.Net;
using System.Net.Sockets;

namespace Vigil.Vrrp.Packets;

/// <summary>
/// What one router expects of a packet addressed to it: the receive checks of the decoder use these,
/// nothing else. Built from <see cref="Fsm.VrrpInstanceOptions"/> by <see cref="Fsm.VrrpInstanceOptions.ToReceivePolicy"/>.
/// </summary>
public sealed record VrrpReceivePolicy
{
    /// <summary>Version this router runs.</summary>
    public required VrrpVersion Version { get; init; }

    /// <summary>VRID this router serves.</summary>
    public required byte VirtualRouterId { get; init; }

    /// <summary>Address family of the instance.</summary>
    public AddressFamily Family { get; init; } = AddressFamily.InterNetwork;

    /// <summary>v2 authentication type expected.</summary>
    public VrrpAuthType AuthType { get; init; }

    /// <summary>v2 PASS / AH key: at most 8 bytes (keepalived compat: only the first 8 characters count).</summary>
    public ReadOnlyMemory<byte> AuthKey { get; init; }

    /// <summary>Our advert interval: a v2 advert with another interval is dropped.</summary>
    public TimeSpan AdvertInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>v3 over IPv4: checksum without the pseudo-header (RFC 9568 §8; Cisco/Juniper interop).</summary>
    public bool V3ChecksumAsV2 { get; init; }

    /// <summary>True for a unicast instance (unicast_peer given): multicast adverts are then dropped, and vice versa.</summary>
    public bool Unicast { get; init; }

    /// <summary>With check_unicast_src, unicast adverts must come from one of these.</summary>
    public IReadOnlyList<IPAddress> UnicastPeers { get; init; } = [];

    /// <summary>check_unicast_src.</summary>
    public bool CheckUnicastSource { get; init; }

    /// <summary>Unicast TTL lower bound (keepalived unicast_peer min_ttl); 0 = none.</summary>
    public int UnicastMinTtl { get; init; }

    /// <summary>Unicast TTL upper bound (keepalived unicast_peer max_ttl); 255 = none.</summary>
    public int UnicastMaxTtl { get; init; } = 255;

    /// <summary>Our own addresses: an advert from one of them is our own looped back and is dropped.</summary>
    public IReadOnlyList<IPAddress> OwnAddresses { get; init; } = [];
}
