namespace Vigil.Vrrp.Packets;

/// <summary>Why a received packet was not accepted as an advert. Counted per router, one counter per value.</summary>
public enum VrrpDropReason
{
    /// <summary>Not dropped.</summary>
    None = 0,

    /// <summary>Shorter than the fixed header, or than the header plus the advertised address count [RFC 5798 §7.1].</summary>
    TooShort,

    /// <summary>The VRID is not this router's (or unknown on this socket).</summary>
    WrongVirtualRouterId,

    /// <summary>TTL / hop limit not 255 on a multicast advert [RFC 5798 §7.1], or outside the unicast bounds.</summary>
    BadTtl,

    /// <summary>Version field is not the version this router runs.</summary>
    BadVersion,

    /// <summary>v2 authentication type differs from ours [RFC 3768 §7.1].</summary>
    AuthTypeMismatch,

    /// <summary>v2 PASS password or AH ICV did not match.</summary>
    AuthFailure,

    /// <summary>v2 advert interval differs from ours; keepalived compat: dropped, not adopted.</summary>
    IntervalMismatch,

    /// <summary>Type field is not 1 (ADVERTISEMENT).</summary>
    BadType,

    /// <summary>IP total length disagrees with the bytes received, or a malformed IP/AH header.</summary>
    BadLength,

    /// <summary>Checksum does not verify.</summary>
    BadChecksum,

    /// <summary>Arrived by multicast on a unicast instance or the other way round.</summary>
    MulticastUnicastMismatch,

    /// <summary>Unicast advert whose source is not a configured peer (check_unicast_src).</summary>
    UnknownUnicastSource,

    /// <summary>Address family of the packet is not the instance's.</summary>
    WrongAddressFamily,

    /// <summary>The advert's source address is one of our own (our packet looped back).</summary>
    OwnAdvert,
}
