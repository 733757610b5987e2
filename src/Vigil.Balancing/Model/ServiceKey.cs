using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Balancing.Model;

public enum ServiceProtocol
{
    Tcp,
    Udp,
    Sctp,
}

public enum ForwardingMethod
{
    Nat,
    DirectRoute,
    Tunnel,
}

/// <summary>
/// What identifies a kernel virtual service: address+port+protocol, or a firewall mark with an address
/// family (IPVS keys fwmark services by mark and family only).
/// </summary>
public readonly record struct ServiceKey : IComparable<ServiceKey>
{
    private ServiceKey(AddressFamily family, ServiceProtocol protocol, IPAddress? address, int port, uint fwmark)
    {
        Family = family;
        Protocol = protocol;
        Address = address;
        Port = port;
        Fwmark = fwmark;
    }

    public AddressFamily Family { get; }

    /// <summary>For fwmark services this is the protocol the checkers and nftables use; IPVS ignores it.</summary>
    public ServiceProtocol Protocol { get; }

    public IPAddress? Address { get; }

    public int Port { get; }

    /// <summary>Non-zero for a fwmark service.</summary>
    public uint Fwmark { get; }

    public bool IsFwmark => Fwmark != 0;

    public static ServiceKey ForAddress(IPAddress address, int port, ServiceProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return new ServiceKey(address.AddressFamily, protocol, address, port, 0);
    }

    public static ServiceKey ForFwmark(uint fwmark, AddressFamily family, ServiceProtocol protocol = ServiceProtocol.Tcp)
    {
        ArgumentOutOfRangeException.ThrowIfZero(fwmark);
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new ArgumentOutOfRangeException(nameof(family), family, "inet or inet6");
        return new ServiceKey(family, protocol, null, 0, fwmark);
    }

    /// <summary>IPVS identity: a fwmark service's protocol is not part of its key.</summary>
    public bool Equals(ServiceKey other) =>
        Family == other.Family && Fwmark == other.Fwmark && Port == other.Port
        && (IsFwmark || (Protocol == other.Protocol && Equals(Address, other.Address)));

    public override int GetHashCode() => IsFwmark ? HashCode.Combine(Family, Fwmark) : HashCode.Combine(Family, Protocol, Address, Port);

    public int CompareTo(ServiceKey other) => string.CompareOrdinal(SortKey(), other.SortKey());

    public static bool operator <(ServiceKey left, ServiceKey right) => left.CompareTo(right) < 0;

    public static bool operator <=(ServiceKey left, ServiceKey right) => left.CompareTo(right) <= 0;

    public static bool operator >(ServiceKey left, ServiceKey right) => left.CompareTo(right) > 0;

    public static bool operator >=(ServiceKey left, ServiceKey right) => left.CompareTo(right) >= 0;

    /// <summary>keepalived's way of naming a service in logs: [addr]:proto:port or FWM n.</summary>
    public override string ToString() =>
        IsFwmark
            ? string.Create(CultureInfo.InvariantCulture, $"FWM {Fwmark}{(Family == AddressFamily.InterNetworkV6 ? " (inet6)" : "")}")
            : string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Protocol.ToString().ToUpperInvariant()}:{Port}");

    private string SortKey()
    {
        if (IsFwmark) return string.Create(CultureInfo.InvariantCulture, $"1{(int)Family:D2}{Fwmark:D10}");
        var bytes = Convert.ToHexString(Address!.GetAddressBytes());
        return string.Create(CultureInfo.InvariantCulture, $"0{(int)Family:D2}{bytes}{(int)Protocol}{Port:D5}");
    }
}

/// <summary>A real server inside a service.</summary>
public readonly record struct DestinationKey(IPAddress Address, int Port) : IComparable<DestinationKey>
{
    public int CompareTo(DestinationKey other)
    {
        var a = Address.GetAddressBytes();
        var b = other.Address.GetAddressBytes();
        var c = a.Length.CompareTo(b.Length);
        if (c != 0) return c;
        c = a.AsSpan().SequenceCompareTo(b);
        return c != 0 ? c : Port.CompareTo(other.Port);
    }

    public static bool operator <(DestinationKey left, DestinationKey right) => left.CompareTo(right) < 0;

    public static bool operator <=(DestinationKey left, DestinationKey right) => left.CompareTo(right) <= 0;

    public static bool operator >(DestinationKey left, DestinationKey right) => left.CompareTo(right) > 0;

    public static bool operator >=(DestinationKey left, DestinationKey right) => left.CompareTo(right) >= 0;

    public override string ToString() =>
        Address.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}");
}
