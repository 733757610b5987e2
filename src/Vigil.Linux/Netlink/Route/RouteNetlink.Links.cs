using System.Net.NetworkInformation;

namespace Vigil.Linux.Netlink.Route;

public sealed partial class RouteNetlink
{
    /// <summary>
    /// Creates a macvlan on <paramref name="parentIndex"/> with <paramref name="mac"/> (use_vmac:
    /// 00:00:5e:00:01:VRID or 00:00:5e:00:02:VRID), down. Returns false if a link of that name exists.
    /// </summary>
    public bool CreateMacvlanIfAbsent(string name, int parentIndex, PhysicalAddress mac, MacvlanMode mode = MacvlanMode.Private)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(mac);
        if (name.Length is 0 or > MaxInterfaceNameLength)
        {
            throw new ArgumentException($"'{name}' is not a valid interface name.", nameof(name));
        }
        return Change("RTM_NEWLINK", $"macvlan {name}", (w, s) => LinkCodec.WriteCreateMacvlan(w, s, name, parentIndex, mac, mode), Errno.EEXIST);
    }

    /// <summary>Sets the link administratively up or down (`ip link set IF up|down`).</summary>
    public void SetLinkUp(int index, bool up) =>
        Change("RTM_NEWLINK", $"ifindex {index} {(up ? "up" : "down")}", (w, s) => LinkCodec.WriteSetUp(w, s, index, up), Errno.None);

    /// <summary>Deletes the link if it exists. Returns true if it was deleted.</summary>
    public bool DeleteLinkIfPresent(int index) =>
        Change("RTM_DELLINK", $"ifindex {index}", (w, s) => LinkCodec.WriteDelete(w, s, index), Errno.ENODEV);
}
