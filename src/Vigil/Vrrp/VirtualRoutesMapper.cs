using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Vigil.Config;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Vrrp;

/// <summary>
/// Turns route and rule lines (virtual_routes, virtual_rules, static_routes, static_rules) into kernel requests.
/// Pure: interface names are resolved through a delegate, table and protocol names through <see cref="IpNames"/>.
/// </summary>
internal static class VirtualRoutesMapper
{
    /// <summary>A route line as an RTM_NEWROUTE request, or null with <paramref name="error"/> saying why.</summary>
    public static RouteEntry? MapRoute(RouteConfig route, Func<string, int?> interfaceIndex, IpNames names, out string? error)
    {
        error = null;
        if (!TryRouteType(route.Type, out var type))
        {
            error = $"route type '{route.Type}' is not supported";
            return null;
        }
        if (!route.NextHops.IsEmpty)
        {
            error = "multipath routes (nexthop) are not supported yet";
            return null;
        }
        var family = RouteFamily(route);
        var destination = route.Destination.PrefixLength == 0 && family == AddressFamily.InterNetworkV6
            ? IPAddress.IPv6Any
            : route.Destination.BaseAddress;
        var oif = 0;
        if (route.Device is { } device)
        {
            if (interfaceIndex(device) is not { } index)
            {
                error = $"interface {device} does not exist";
                return null;
            }
            oif = index;
        }
        uint table = RouteTables.Main;
        if (route.Table is { } tableName && !names.TryTable(tableName, out table))
        {
            error = $"unknown table '{tableName}'";
            return null;
        }
        // keepalived compat: its routes carry proto keepalived unless another one is given.
        byte protocol = RouteTables.ProtocolKeepalived;
        if (route.Protocol is { } protocolName && !names.TryProtocol(protocolName, out protocol))
        {
            error = $"unknown protocol '{protocolName}'";
            return null;
        }
        var scope = DefaultScope(type);
        if (route.Scope is { } scopeName && !TryScope(scopeName, out scope))
        {
            error = $"unknown scope '{scopeName}'";
            return null;
        }
        byte tos = 0;
        for (var i = 0; i < route.Options.Count; i++)
        {
            var option = route.Options[i];
            if (option is "tos" or "dsfield" && i + 1 < route.Options.Count && TryByte(route.Options[i + 1], out tos))
            {
                i++;
                continue;
            }
            error = $"route option '{option}' is not supported yet";
            return null;
        }
        return new RouteEntry(destination, route.Destination.PrefixLength)
        {
            Type = type,
            Gateway = route.Via,
            OutputInterfaceIndex = oif,
            PreferredSource = route.Source,
            Table = table,
            Metric = route.Metric is { } metric ? (uint)metric : null,
            Scope = scope,
            Protocol = protocol,
            Tos = tos,
            OnLink = route.OnLink,
        };
    }

    /// <summary>A rule line as an RTM_NEWRULE request, or null with <paramref name="error"/> saying why.</summary>
    public static RoutingRule? MapRule(RuleConfig rule, IpNames names, out string? error)
    {
        error = null;
        var action = RuleAction.ToTable;
        switch (rule.Action)
        {
            case null:
                break;
            case "blackhole":
                action = RuleAction.Blackhole;
                break;
            case "prohibit":
                action = RuleAction.Prohibit;
                break;
            case "unreachable":
                action = RuleAction.Unreachable;
                break;
            case "nop":
                action = RuleAction.Nop;
                break;
            default:
                error = $"rule action '{rule.Action}' is not supported yet";
                return null;
        }
        uint table = action == RuleAction.ToTable ? RouteTables.Main : 0;
        if (rule.Table is { } tableName)
        {
            if (!names.TryTable(tableName, out table))
            {
                error = $"unknown table '{tableName}'";
                return null;
            }
        }
        uint? mark = null, mask = null;
        byte tos = 0;
        for (var i = 0; i < rule.Options.Count; i++)
        {
            var option = rule.Options[i];
            var value = i + 1 < rule.Options.Count ? rule.Options[i + 1] : null;
            if (option == "fwmark" && value is not null && TryMark(value, out var m, out var k))
            {
                (mark, mask) = (m, k);
                i++;
            }
            else if (option is "tos" or "dsfield" && value is not null && TryByte(value, out tos))
            {
                i++;
            }
            else
            {
                error = $"rule option '{option}' is not supported yet";
                return null;
            }
        }
        return new RoutingRule(rule.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork)
        {
            Action = action,
            Table = table,
            Priority = (uint)rule.Preference,
            Source = rule.From is { PrefixLength: > 0 } from ? from.BaseAddress : null,
            SourcePrefixLength = rule.From?.PrefixLength ?? 0,
            Destination = rule.To is { PrefixLength: > 0 } to ? to.BaseAddress : null,
            DestinationPrefixLength = rule.To?.PrefixLength ?? 0,
            FirewallMark = mark,
            FirewallMask = mask,
            InputInterface = rule.InterfaceIn,
            OutputInterface = rule.InterfaceOut,
            Tos = tos,
            Invert = rule.Invert,
            // keepalived compat: `ip rule` shows its rules as "proto keepalived".
            Protocol = RouteTables.ProtocolKeepalived,
        };
    }

    /// <summary>IPv6 when the destination, the gateway or the source is.</summary>
    public static AddressFamily RouteFamily(RouteConfig route) =>
        route.Destination.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6
        || route.Via?.AddressFamily == AddressFamily.InterNetworkV6
        || route.Source?.AddressFamily == AddressFamily.InterNetworkV6
            ? AddressFamily.InterNetworkV6
            : AddressFamily.InterNetwork;

    public static bool TryRouteType(string name, out RouteType type)
    {
        type = name switch
        {
            "unicast" => RouteType.Unicast,
            "local" => RouteType.Local,
            "broadcast" => RouteType.Broadcast,
            "anycast" => RouteType.Anycast,
            "multicast" => RouteType.Multicast,
            "blackhole" => RouteType.Blackhole,
            "unreachable" => RouteType.Unreachable,
            "prohibit" => RouteType.Prohibit,
            "throw" => RouteType.Throw,
            "nat" => RouteType.Nat,
            _ => RouteType.Unspecified,
        };
        return type != RouteType.Unspecified;
    }

    // keepalived compat: a unicast route with only a device keeps scope global (ip(8) would pick link);
    // the local and broadcast kinds get the scopes ip(8) gives them.
    private static RouteScope DefaultScope(RouteType type) => type switch
    {
        RouteType.Local or RouteType.Nat => RouteScope.Host,
        RouteType.Broadcast or RouteType.Multicast or RouteType.Anycast => RouteScope.Link,
        _ => RouteScope.Universe,
    };

    public static bool TryScope(string name, out RouteScope scope)
    {
        switch (name)
        {
            case "global" or "universe":
                scope = RouteScope.Universe;
                return true;
            case "site":
                scope = RouteScope.Site;
                return true;
            case "link":
                scope = RouteScope.Link;
                return true;
            case "host":
                scope = RouteScope.Host;
                return true;
            case "nowhere":
                scope = RouteScope.Nowhere;
                return true;
        }
        var ok = byte.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var value);
        scope = (RouteScope)value;
        return ok;
    }

    /// <summary>MARK or MARK/MASK, each decimal or 0x-hex, as ip-rule(8) takes them.</summary>
    public static bool TryMark(string text, out uint mark, out uint? mask)
    {
        mask = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IpNames.TryNumber(slash < 0 ? text : text[..slash], out mark))
        {
            return false;
        }
        if (slash < 0)
        {
            return true;
        }
        var ok = IpNames.TryNumber(text[(slash + 1)..], out var m);
        mask = m;
        return ok;
    }

    private static bool TryByte(string text, out byte value)
    {
        var ok = IpNames.TryNumber(text, out var number) && number <= byte.MaxValue;
        value = ok ? (byte)number : (byte)0;
        return ok;
    }
}
