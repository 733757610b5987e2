using System.Net;

namespace Vigil.Vrrp.Packets;

/// <summary>VRRP protocol version on the wire.</summary>
public enum VrrpVersion : byte
{
    /// <summary>RFC 3768: IPv4 only, interval in whole seconds, PASS/AH authentication.</summary>
    V2 = 2,

    /// <summary>RFC 5798 / RFC 9568: IPv4 and IPv6, interval in centiseconds, no authentication.</summary>
    V3 = 3,
}

/// <summary>The VRRPv2 authentication type field [RFC 3768 §5.3.6; RFC 2338 §5.3.6].</summary>
public enum VrrpAuthType : byte
{
    /// <summary>No authentication.</summary>
    None = 0,

    /// <summary>Simple text password: the first 8 bytes of auth_pass travel in clear.</summary>
    Pass = 1,

    /// <summary>IP Authentication Header (HMAC-MD5-96) in front of the VRRP message, IPv4 only.</summary>
    Ah = 2,
}

/// <summary>
/// One decoded (or to-be-encoded) VRRP advertisement. Units live here: the interval is a <see cref="TimeSpan"/>,
/// the codec converts it to seconds (v2) or centiseconds (v3).
/// </summary>
/// <param name="Version">Protocol version.</param>
/// <param name="VirtualRouterId">VRID, 1-255.</param>
/// <param name="Priority">0 = the master is leaving, 255 = the address owner.</param>
/// <param name="AdvertInterval">Advertisement interval the sender uses.</param>
/// <param name="Addresses">The virtual addresses, all of one family.</param>
public sealed record VrrpAdvert(
    VrrpVersion Version,
    byte VirtualRouterId,
    byte Priority,
    TimeSpan AdvertInterval,
    IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>Authentication type carried in a v2 advert (always <see cref="VrrpAuthType.None"/> for v3).</summary>
    public VrrpAuthType AuthType { get; init; }

    /// <summary>True if the record describes the same advert; compares the address lists by value.</summary>
    public bool Equals(VrrpAdvert? other) =>
        other is not null
        && Version == other.Version
        && VirtualRouterId == other.VirtualRouterId
        && Priority == other.Priority
        && AdvertInterval == other.AdvertInterval
        && AuthType == other.AuthType
        && Addresses.SequenceEqual(other.Addresses);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Version, VirtualRouterId, Priority, AdvertInterval, AuthType, Addresses.Count);
}
