using System.Net;
using System.Net.Sockets;

namespace Vigil.Linux.Vrrp;

/// <summary>How to open a <see cref="VrrpSocket"/>: one per (interface, family, protocol).</summary>
/// <param name="InterfaceName">The device to bind to (SO_BINDTODEVICE) and join the group on.</param>
/// <param name="Family">InterNetwork or InterNetworkV6.</param>
public sealed record VrrpSocketOptions(string InterfaceName, AddressFamily Family)
{
    /// <summary>vrrp_mcast_group4/6; null is the RFC group (224.0.0.18 or ff02::12).</summary>
    public IPAddress? MulticastGroup { get; init; }

    /// <summary>False for unicast-only instances (unicast_peer): no IGMP/MLD join is sent.</summary>
    public bool JoinMulticastGroup { get; init; } = true;

    /// <summary>
    /// mcast_src_ip / unicast_src_ip. Null picks what keepalived picks: the interface's primary IPv4
    /// address, or its IPv6 link-local address.
    /// </summary>
    public IPAddress? SourceAddress { get; init; }

    /// <summary>TTL / hop limit for unicast sends (keepalived's unicast_ttl); multicast always uses 255.</summary>
    public int UnicastHopLimit { get; init; } = 255;

    /// <summary>IP protocol: 112 (VRRP) or, for IPv4 v2 AH authentication, 51.</summary>
    public int Protocol { get; init; } = VrrpSocket.VrrpProtocol;

    /// <summary>keepalived compat: TOS / traffic class 0xc0 (network control) on every advert.</summary>
    public byte TrafficClass { get; init; } = 0xC0;
}

/// <summary>One received datagram with what the kernel said about it.</summary>
/// <param name="Source">IP source address.</param>
/// <param name="Destination">IP destination (the group, or our unicast address).</param>
/// <param name="HopLimit">IPv4 TTL (from the IP header) or IPv6 hop limit (IPV6_HOPLIMIT ancillary data).</param>
/// <param name="InterfaceIndex">Arrival interface (IP_PKTINFO / IPV6_PKTINFO).</param>
/// <param name="Protocol">IP protocol (IPv4: from the header; IPv6: the socket's, the next header after extension headers).</param>
/// <param name="Payload">What follows the IP header: the VRRP message, or for protocol 51 the AH header and then VRRP.</param>
/// <param name="Datagram">IPv4: the whole datagram from the IP header on (what AH's ICV covers). IPv6: same as Payload.</param>
public readonly record struct VrrpDatagram(
    IPAddress Source,
    IPAddress Destination,
    int HopLimit,
    int InterfaceIndex,
    int Protocol,
    ReadOnlyMemory<byte> Payload,
    ReadOnlyMemory<byte> Datagram);
