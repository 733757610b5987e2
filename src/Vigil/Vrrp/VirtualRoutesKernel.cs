using Vigil.Linux.Netlink.Route;

namespace Vigil.Vrrp;

/// <summary>The rtnetlink changes routes, rules and static addresses need; tests record them.</summary>
internal interface INetworkKernel
{
    int? GetLinkIndex(string name);

    bool AddRouteIfAbsent(RouteEntry route);

    bool DeleteRouteIfPresent(RouteEntry route);

    bool AddRuleIfAbsent(RoutingRule rule);

    bool DeleteRuleIfPresent(RoutingRule rule);

    bool AddAddressIfAbsent(InterfaceAddress address);

    bool DeleteAddressIfPresent(InterfaceAddress address);
}

/// <summary><see cref="INetworkKernel"/> on a <see cref="RouteNetlink"/> socket.</summary>
internal sealed class RtnlNetworkKernel(RouteNetlink rtnl) : INetworkKernel
{
    public int? GetLinkIndex(string name) => rtnl.GetLinkIndex(name);

    public bool AddRouteIfAbsent(RouteEntry route) => rtnl.AddRouteIfAbsent(route);

    public bool DeleteRouteIfPresent(RouteEntry route) => rtnl.DeleteRouteIfPresent(route);

    public bool AddRuleIfAbsent(RoutingRule rule) => rtnl.AddRuleIfAbsent(rule);

    public bool DeleteRuleIfPresent(RoutingRule rule) => rtnl.DeleteRuleIfPresent(rule);

    public bool AddAddressIfAbsent(InterfaceAddress address) => rtnl.AddAddressIfAbsent(address);

    public bool DeleteAddressIfPresent(InterfaceAddress address) => rtnl.DeleteAddressIfPresent(address);
}
