using System.Net;
using System.Net.Sockets;

namespace Vigil.Vrrp.Packets;

/// <summary>
/// What the socket layer knows about a received VRRP payload. For IPv4 these come from the IP header;
/// for IPv6 from ancillary data (IPV6_RECVPKTINFO for the destination, IPV6_RECVHOPLIMIT for the hop limit).
/// </summary>
/// <param name="Source">IP source address of the packet (the sending router's primary address).</param>
/// <param name="Destination">IP destination: the multicast group or our own unicast address.</param>
/// <param name="HopLimit">IPv4 TTL or IPv6 hop limit as received.</param>
public readonly record struct VrrpReceiveInfo(IPAddress Source, IPAddress Destination, int HopLimit)
{
    /// <summary>True when the packet was sent to a multicast group.</summary>
    public bool IsMulticast => IsMulticastAddress(Destination);

    internal static bool IsMulticastAddress(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6Multicast;
        }

        Span<byte> b = stackalloc byte[4];
        return address.TryWriteBytes(b, out _) && b[0] >= 224 && b[0] <= 239;
    }
}
