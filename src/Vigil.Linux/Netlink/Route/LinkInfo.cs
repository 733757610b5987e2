using System.Net.NetworkInformation;

namespace Vigil.Linux.Netlink.Route;

/// <summary>Interface flags (IFF_*, linux/if.h) as RTM_NEWLINK reports them.</summary>
[Flags]
public enum LinkFlags : uint
{
    None = 0,
    Up = 0x1,
    Broadcast = 0x2,
    Loopback = 0x8,
    PointToPoint = 0x10,
    Running = 0x40,
    NoArp = 0x80,
    Promiscuous = 0x100,
    Master = 0x400,
    Slave = 0x800,
    Multicast = 0x1000,
    LowerUp = 0x10000,
    Dormant = 0x20000,
}

/// <summary>RFC 2863 operational state (IFLA_OPERSTATE).</summary>
public enum LinkOperationalState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}

/// <summary>One network interface as rtnetlink describes it.</summary>
/// <param name="Index">ifindex.</param>
/// <param name="Name">IFLA_IFNAME.</param>
/// <param name="Flags">IFF_* flags: administratively up, running, carrier (LowerUp).</param>
/// <param name="Mtu">IFLA_MTU in bytes.</param>
/// <param name="HardwareAddress">IFLA_ADDRESS (the MAC on Ethernet), or null if the link has none.</param>
/// <param name="Kind">IFLA_INFO_KIND ("veth", "bridge", "macvlan"...), or null for physical devices.</param>
public sealed record LinkInfo(int Index, string Name, LinkFlags Flags, int Mtu, PhysicalAddress? HardwareAddress, string? Kind)
{
    public LinkOperationalState OperationalState { get; init; }

    /// <summary>IFLA_MASTER (the bridge or bond this link is enslaved to), 0 if none.</summary>
    public int MasterIndex { get; init; }

    /// <summary>IFLA_LINK (the lower device of a macvlan or vlan, the peer index of a veth), 0 if none.</summary>
    public int LinkIndex { get; init; }

    /// <summary>ARPHRD_* device type (1 = Ethernet, 772 = loopback).</summary>
    public int DeviceType { get; init; }

    public bool IsUp => (Flags & LinkFlags.Up) != 0;

    public bool IsRunning => (Flags & LinkFlags.Running) != 0;

    public bool HasCarrier => (Flags & LinkFlags.LowerUp) != 0;
}
