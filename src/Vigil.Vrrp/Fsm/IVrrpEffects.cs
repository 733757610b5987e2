using System.Net;
using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp.Fsm;

/// <summary>
/// What a router asks of the world. The host implements it once per router (it knows the interface, the VIP
/// details such as prefix/dev/label, the sockets and the notify scripts); tests record the calls.
/// Calls are made synchronously from inside the router's input methods, on the router's loop.
/// </summary>
public interface IVrrpEffects
{
    /// <summary>Send one advert to one destination. The spans are only valid during the call.</summary>
    void SendAdvert(in VrrpTransmission transmission);

    /// <summary>Install the virtual addresses (and excluded ones) on becoming MASTER. Must be idempotent.</summary>
    void AddAddresses(IReadOnlyList<IPAddress> addresses);

    /// <summary>Remove the addresses. Also called once at start for leftovers of a crashed run. Must be idempotent.</summary>
    void RemoveAddresses(IReadOnlyList<IPAddress> addresses);

    /// <summary>Send <paramref name="repeat"/> gratuitous ARPs (IPv4) / unsolicited NAs (IPv6) for each address,
    /// paced by vrrp_garp_interval / vrrp_gna_interval on the interface.</summary>
    void SendGratuitous(IReadOnlyList<IPAddress> addresses, int repeat);

    /// <summary>The state changed (after the addresses were added or removed): run notify scripts, FIFO, SMTP.</summary>
    void StateChanged(VrrpStateChange change);

    /// <summary>MASTER received a lower-priority advert (keepalived notify_master_rx_lower_pri, FIFO MASTER_RX_LOWER_PRI).</summary>
    void MasterReceivedLowerPriority(IPAddress source, int priority);
}

/// <summary>One advert to put on the wire.</summary>
public readonly ref struct VrrpTransmission
{
    /// <summary>The advert (priority 0 when leaving MASTER).</summary>
    public required VrrpAdvert Advert { get; init; }

    /// <summary>IP source to use.</summary>
    public required IPAddress Source { get; init; }

    /// <summary>IP destination: the multicast group or one unicast peer.</summary>
    public required IPAddress Destination { get; init; }

    /// <summary>The VRRP message (checksummed for this source and destination): what follows the IP header.
    /// For IPv6 send it on a raw IPPROTO_VRRP socket with hop limit 255 and traffic class 0xc0.</summary>
    public required ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>IPv4 only: the complete datagram (TOS 0xc0, TTL 255, identification, AH when configured) for a raw
    /// socket with IP_HDRINCL. Required for AH, whose ICV covers the IP header. Empty for IPv6.</summary>
    public required ReadOnlySpan<byte> IPv4Datagram { get; init; }
}
