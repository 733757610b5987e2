using Vigil.Linux;
using Vigil.Linux.Netlink.Route;
using Vigil.Vrrp;

namespace Vigil.Tests.Vrrp;

/// <summary>Records rtnetlink changes in order, keeps a set of what is "in the kernel", and can be told to refuse.</summary>
internal sealed class NetworkKernelFake : INetworkKernel
{
    public Dictionary<string, int> Links { get; } = new(StringComparer.Ordinal) { ["eth0"] = 2, ["lo"] = 1 };

    public List<string> Calls { get; } = [];

    public HashSet<RouteEntry> Routes { get; } = [];

    public HashSet<RoutingRule> Rules { get; } = [];

    public HashSet<InterfaceAddress> Addresses { get; } = [];

    /// <summary>Changes of these objects (by ToString) fail with EINVAL.</summary>
    public HashSet<string> Refuse { get; } = new(StringComparer.Ordinal);

    public int? GetLinkIndex(string name) => Links.TryGetValue(name, out var index) ? index : null;

    public bool AddRouteIfAbsent(RouteEntry route) => Change("add route", route, Routes, add: true);

    public bool DeleteRouteIfPresent(RouteEntry route) => Change("del route", route, Routes, add: false);

    public bool AddRuleIfAbsent(RoutingRule rule) => Change("add rule", rule, Rules, add: true);

    public bool DeleteRuleIfPresent(RoutingRule rule) => Change("del rule", rule, Rules, add: false);

    public bool AddAddressIfAbsent(InterfaceAddress address) => Change("add addr", address, Addresses, add: true);

    public bool DeleteAddressIfPresent(InterfaceAddress address) => Change("del addr", address, Addresses, add: false);

    private bool Change<T>(string what, T item, HashSet<T> into, bool add) where T : notnull
    {
        Calls.Add($"{what} {Describe(item)}");
        if (Refuse.Contains(Describe(item)))
        {
            throw new KernelException(Errno.EINVAL, what, "refused by the test");
        }
        return add ? into.Add(item) : into.Remove(item);
    }

    private static string Describe<T>(T item) => item switch
    {
        RouteEntry r => $"{r.Type} {r.Destination}/{r.PrefixLength}",
        RoutingRule r => $"pref {r.Priority}",
        InterfaceAddress a => $"{a.Address}/{a.PrefixLength} if {a.InterfaceIndex}",
        _ => item?.ToString() ?? "",
    };
}
