using System.Net;

namespace Vigil.Linux.Netlink.Route;

/// <summary>IFA_F_* address flags (linux/if_addr.h).</summary>
[Flags]
public enum AddressFlags : uint
{
    None = 0,
    Secondary = 0x01,
    NoDad = 0x02,
    Optimistic = 0x04,
    DadFailed = 0x08,
    HomeAddress = 0x10,
    Deprecated = 0x20,
    Tentative = 0x40,
    Permanent = 0x80,
    ManageTemporaryAddress = 0x100,
    NoPrefixRoute = 0x200,
    MulticastAutoJoin = 0x400,
    StablePrivacy = 0x800,
}

/// <summary>Address scope (rtm_scope / ifa_scope values, linux/rtnetlink.h).</summary>
public enum AddressScope : byte
{
    Global = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}

/// <summary>
/// An address on an interface: what `ip addr add ADDRESS/PREFIX [peer P] [brd B] [scope S] [label L]
/// [nodad] [noprefixroute] [home] [preferred_lft T] dev IF` says, which is what keepalived's
/// virtual_ipaddress entries say too.
/// </summary>
/// <param name="InterfaceIndex">ifindex of the device.</param>
/// <param name="Address">The local address (IFA_LOCAL).</param>
/// <param name="PrefixLength">Prefix length, 0..32 or 0..128.</param>
public sealed record InterfaceAddress(int InterfaceIndex, IPAddress Address, int PrefixLength)
{
    /// <summary>IPv4 broadcast (IFA_BROADCAST); null for none.</summary>
    public IPAddress? Broadcast { get; init; }

    /// <summary>Point-to-point peer (IFA_ADDRESS when it differs from IFA_LOCAL); null for none.</summary>
    public IPAddress? Peer { get; init; }

    public AddressScope Scope { get; init; } = AddressScope.Global;

    /// <summary>IPv4 label (IFA_LABEL), e.g. "eth0:1"; the kernel wants it to start with the device name.</summary>
    public string? Label { get; init; }

    public AddressFlags Flags { get; init; }

    /// <summary>Preferred lifetime; null is forever. Zero makes the address deprecated (keepalived's preferred_lft 0).</summary>
    public TimeSpan? PreferredLifetime { get; init; }

    /// <summary>Valid lifetime; null is forever.</summary>
    public TimeSpan? ValidLifetime { get; init; }

    /// <summary>True when this is the same kernel address (device, address, prefix), whatever its options.</summary>
    public bool SameKernelAddress(InterfaceAddress other) =>
        other.InterfaceIndex == InterfaceIndex && other.PrefixLength == PrefixLength && other.Address.Equals(Address);
}
