using System.Net.Sockets;
using Vigil.Linux.Namespaces;

namespace Vigil.Linux.Netlink.Route;

/// <summary>
/// rtnetlink requests (links, addresses) over one NETLINK_ROUTE socket, in the namespace it was opened
/// in. Thread-safe: requests are serialised. Errors are <see cref="KernelException"/> with the errno and
/// the kernel's extended-ack text.
/// </summary>
public sealed partial class RouteNetlink : IDisposable
{
    /// <summary>IFNAMSIZ - 1: longer names cannot exist.</summary>
    public const int MaxInterfaceNameLength = 15;

    private readonly NetlinkSocket _socket;
    private readonly NetlinkMessageWriter _writer = new();
    private readonly Lock _lock = new();

    private RouteNetlink(NetlinkSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Opens a NETLINK_ROUTE socket in <paramref name="ns"/> (null: the caller's namespace).</summary>
    public static RouteNetlink Open(NetworkNamespace? ns = null) =>
        new(NetworkNamespace.Within(ns, () => NetlinkSocket.OpenForRequests(NetlinkProtocol.Route)));

    public IReadOnlyList<LinkInfo> GetLinks()
    {
        var links = new List<LinkInfo>();
        Dump("RTM_GETLINK dump", RtnlCodec.WriteGetLinks, (in NetlinkMessage m) =>
        {
            if (RtnlCodec.TryParseLink(m, out var link))
            {
                links.Add(link);
            }
        });
        return links;
    }

    /// <summary>The link named <paramref name="name"/>, or null if there is none.</summary>
    public LinkInfo? GetLink(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxInterfaceNameLength || name.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }
        return GetOneLink(0, name);
    }

    /// <summary>The link with ifindex <paramref name="index"/>, or null if there is none.</summary>
    public LinkInfo? GetLink(int index) => index <= 0 ? null : GetOneLink(index, null);

    public int? GetLinkIndex(string name) => GetLink(name)?.Index;

    /// <summary>For config validation (IHostInterfaces): does a device of this name exist right now?</summary>
    public bool InterfaceExists(string name) => GetLink(name) is not null;

    /// <summary>Every address of the family (Unspecified: both) on every interface.</summary>
    public IReadOnlyList<InterfaceAddress> GetAddresses(AddressFamily family = AddressFamily.Unspecified)
    {
        var addresses = new List<InterfaceAddress>();
        Dump("RTM_GETADDR dump", (w, s) => RtnlCodec.WriteGetAddresses(w, s, family), (in NetlinkMessage m) =>
        {
            if (RtnlCodec.TryParseAddress(m, out var address))
            {
                addresses.Add(address);
            }
        });
        return addresses;
    }

    public IReadOnlyList<InterfaceAddress> GetAddresses(int interfaceIndex, AddressFamily family = AddressFamily.Unspecified) =>
        GetAddresses(family).Where(a => a.InterfaceIndex == interfaceIndex).ToList();

    /// <summary>Adds the address; throws <see cref="KernelException"/> (EEXIST if it is already there).</summary>
    public void AddAddress(InterfaceAddress address) => ChangeAddress(address, add: true, Errno.None);

    /// <summary>Adds the address unless the device already has it. Returns true if it was added.</summary>
    public bool AddAddressIfAbsent(InterfaceAddress address) => ChangeAddress(address, add: true, Errno.EEXIST);

    /// <summary>Deletes the address; throws <see cref="KernelException"/> (EADDRNOTAVAIL if it is not there).</summary>
    public void DeleteAddress(InterfaceAddress address) => ChangeAddress(address, add: false, Errno.None);

    /// <summary>Deletes the address if the device has it. Returns true if it was deleted.</summary>
    public bool DeleteAddressIfPresent(InterfaceAddress address) => ChangeAddress(address, add: false, Errno.EADDRNOTAVAIL);

    public void Dispose() => _socket.Dispose();

    private bool ChangeAddress(InterfaceAddress address, bool add, Errno benign)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Change(add ? "RTM_NEWADDR" : "RTM_DELADDR", Describe(address), (w, s) => RtnlCodec.WriteAddressRequest(w, s, address, add), benign);
    }

    private LinkInfo? GetOneLink(int index, string? name)
    {
        LinkInfo? found = null;
        Errno errno;
        string? detail;
        lock (_lock)
        {
            _writer.Clear();
            var sequence = _socket.NextSequence();
            RtnlCodec.WriteGetLink(_writer, sequence, index, name);
            (errno, detail) = _socket.Request(_writer, sequence, "RTM_GETLINK", (in NetlinkMessage m) =>
            {
                if (RtnlCodec.TryParseLink(m, out var link))
                {
                    found = link;
                }
            });
        }
        return errno switch
        {
            Errno.None => found,
            Errno.ENODEV => null,
            _ => throw new KernelException(errno, $"RTM_GETLINK {name ?? index.ToString()}", detail),
        };
    }

    private static string Describe(InterfaceAddress a) => $"{a.Address}/{a.PrefixLength} ifindex {a.InterfaceIndex}";
}
