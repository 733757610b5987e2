using System.Net;
using System.Net.Sockets;
using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp.Fsm;

/// <summary>
/// Routes received packets of one receive socket (one interface) to the routers by address family, VRID and
/// unicast/multicast, and gives the host one deadline for all its routers. Like the routers it is driven by
/// one loop and takes the time as an argument.
/// </summary>
public sealed class VrrpDispatcher
{
    private readonly Dictionary<(AddressFamily Family, byte Vrid, bool Unicast), VrrpRouter> _routers = [];

    /// <summary>The routers registered.</summary>
    public IReadOnlyCollection<VrrpRouter> Routers => _routers.Values;

    /// <summary>Packets for a VRID no router serves (keepalived log_unknown_vrids), or unreadable headers.</summary>
    public long UnknownVirtualRouterId { get; private set; }

    /// <summary>The earliest <see cref="VrrpRouter.NextDeadline"/> of all routers.</summary>
    public TimeSpan NextDeadline
    {
        get
        {
            TimeSpan next = VrrpRouter.Never;
            foreach (VrrpRouter router in _routers.Values)
            {
                if (router.NextDeadline < next)
                {
                    next = router.NextDeadline;
                }
            }

            return next;
        }
    }

    /// <summary>Registers a router; false if another router already serves its family, VRID and cast.</summary>
    public bool Add(VrrpRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        return _routers.TryAdd(Key(router), router);
    }

    /// <summary>Unregisters a router.</summary>
    public bool Remove(VrrpRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        return _routers.Remove(Key(router));
    }

    /// <summary>Runs the due timers of every router.</summary>
    public void OnTimer(TimeSpan now)
    {
        foreach (VrrpRouter router in _routers.Values)
        {
            if (router.NextDeadline <= now)
            {
                router.OnTimer(now);
            }
        }
    }

    /// <summary>An IPv4 datagram from a raw socket (header included).</summary>
    public VrrpDropReason OnIPv4Datagram(ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        if (!VrrpIPv4Datagram.TryPeek(datagram, out _, out byte vrid))
        {
            UnknownVirtualRouterId++;
            return VrrpDropReason.TooShort;
        }

        bool unicast = !VrrpReceiveInfo.IsMulticastAddress(new IPAddress(datagram.Slice(16, 4)));
        VrrpRouter? router = Find(AddressFamily.InterNetwork, vrid, unicast);
        return router?.OnIPv4Datagram(datagram, now) ?? Unknown();
    }

    /// <summary>A VRRP message with its receive metadata (IPv6, or IPv4 without the header).</summary>
    public VrrpDropReason OnPacket(ReadOnlySpan<byte> payload, in VrrpReceiveInfo info, TimeSpan now)
    {
        if (!VrrpCodec.TryPeek(payload, out _, out byte vrid) || info.Source is null)
        {
            UnknownVirtualRouterId++;
            return VrrpDropReason.TooShort;
        }

        VrrpRouter? router = Find(info.Source.AddressFamily, vrid, !info.IsMulticast);
        return router?.OnPacket(payload, info, now) ?? Unknown();
    }

    private VrrpDropReason Unknown()
    {
        UnknownVirtualRouterId++;
        return VrrpDropReason.WrongVirtualRouterId;
    }

    // A packet of the other cast still goes to the router, which counts it as MulticastUnicastMismatch.
    private VrrpRouter? Find(AddressFamily family, byte vrid, bool unicast) =>
        _routers.GetValueOrDefault((family, vrid, unicast)) ?? _routers.GetValueOrDefault((family, vrid, !unicast));

    private static (AddressFamily, byte, bool) Key(VrrpRouter router) =>
        (router.Options.Family, router.Options.VirtualRouterId, router.Options.UnicastPeers.Count > 0);
}
