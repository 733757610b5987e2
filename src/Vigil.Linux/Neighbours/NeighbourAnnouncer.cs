using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Vigil.Linux.Namespaces;

namespace Vigil.Linux.Neighbours;

/// <summary>
/// Sends gratuitous ARP and unsolicited Neighbour Advertisements for virtual addresses on one
/// interface, through an AF_PACKET socket, from the interface's MAC or a given one (a VMAC).
/// Pacing, repeats and delays (garp_master_*) are the caller's decision; this sends one frame per call.
/// </summary>
public sealed class NeighbourAnnouncer : IDisposable
{
    private readonly PacketSocket _socket;
    private readonly byte[] _frame = new byte[NeighbourFrames.NeighbourAdvertisementLength];
    private readonly Lock _lock = new();

    private NeighbourAnnouncer(PacketSocket socket, PhysicalAddress mac)
    {
        _socket = socket;
        HardwareAddress = mac;
    }

    public string InterfaceName => _socket.Link.Name;

    public int InterfaceIndex => _socket.Link.Index;

    /// <summary>The interface's MAC when opened: the default sender of every frame.</summary>
    public PhysicalAddress HardwareAddress { get; }

    /// <summary>
    /// Opens a send-only packet socket on <paramref name="interfaceName"/> in <paramref name="ns"/>.
    /// Throws <see cref="KernelException"/> (ENODEV: no such interface; EINVAL: it has no 6-byte MAC).
    /// </summary>
    public static NeighbourAnnouncer Open(string interfaceName, NetworkNamespace? ns = null)
    {
        var socket = PacketSocket.Open(interfaceName, 0, ns);
        var mac = socket.Link.HardwareAddress;
        if (mac is null || mac.GetAddressBytes().Length != 6)
        {
            socket.Dispose();
            throw new KernelException(Errno.EINVAL, $"neighbour announcer on {interfaceName}", "the interface has no Ethernet address");
        }
        return new NeighbourAnnouncer(socket, mac);
    }

    /// <summary>Sends a gratuitous ARP (IPv4) or an unsolicited NA (IPv6) for <paramref name="address"/>.</summary>
    public void Announce(IPAddress address, PhysicalAddress? sourceMac = null, bool router = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            SendGratuitousArp(address, sourceMac);
        }
        else
        {
            SendUnsolicitedNeighbourAdvertisement(address, sourceMac, router);
        }
    }

    public void SendGratuitousArp(IPAddress address, PhysicalAddress? sourceMac = null)
    {
        lock (_lock)
        {
            var length = NeighbourFrames.WriteGratuitousArp(_frame, Mac(sourceMac), address);
            _socket.Send(_frame.AsSpan(0, length), Interop.Constants.ETH_P_ARP, $"gratuitous ARP for {address}");
        }
    }

    /// <param name="address">The IPv6 address to announce.</param>
    /// <param name="sourceMac">The MAC to announce (null: the interface's).</param>
    /// <param name="router">Set the R flag: the sender is a router (IPv6 forwarding on).</param>
    public void SendUnsolicitedNeighbourAdvertisement(IPAddress address, PhysicalAddress? sourceMac = null, bool router = false)
    {
        lock (_lock)
        {
            var length = NeighbourFrames.WriteUnsolicitedNeighbourAdvertisement(_frame, Mac(sourceMac), address, router);
            _socket.Send(_frame.AsSpan(0, length), Interop.Constants.ETH_P_IPV6, $"neighbour advertisement for {address}");
        }
    }

    public void Dispose() => _socket.Dispose();

    private byte[] Mac(PhysicalAddress? sourceMac) => (sourceMac ?? HardwareAddress).GetAddressBytes();
}
