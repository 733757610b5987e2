using System.Net;
using Vigil.Config.Syntax;

namespace Vigil.Config.Binding;

/// <summary>Address, route and rule lines (ip(8) syntax) for virtual_* and static_* blocks.</summary>
internal static class IpBinder
{
    public static EquatableArray<VirtualAddressConfig> Addresses(BindContext ctx, ConfigNode block, EquatableArray<VirtualAddressConfig> current)
    {
        var list = current.AsImmutableArray().ToBuilder();
        foreach (var line in block.Children ?? [])
        {
            if (Address(ctx, line) is { } address)
            {
                list.Add(ctx.Locate(address, line.At));
            }
        }
        return list.ToImmutable();
    }

    public static VirtualAddressConfig? Address(BindContext ctx, ConfigNode line)
    {
        var words = line.Words;
        if (!BindContext.TryParsePrefix(words[0], out var ip, out var length))
        {
            ctx.Error(line, $"VRRP parsed invalid IP {words[0]}. skipping IP...");
            return null;
        }
        var address = new VirtualAddressConfig { Address = ip, PrefixLength = length };
        for (var i = 1; i < words.Length; i++)
        {
            var option = words[i];
            string? Next() => i + 1 < words.Length ? words[++i] : null;
            switch (option)
            {
                case "brd" or "broadcast":
                    var brd = Next();
                    address = address with { Broadcast = brd is null ? null : BindContext.ParseIp(brd) };
                    if (address.Broadcast is null && brd is not "+" and not "-")
                    {
                        ctx.Error(line, $"invalid broadcast address '{brd}'");
                    }
                    break;
                case "dev":
                    address = address with { Device = Next() };
                    break;
                case "scope":
                    address = address with { Scope = Next() };
                    break;
                case "label":
                    address = address with { Label = Next() };
                    break;
                case "peer":
                    var peer = Next();
                    if (peer is not null && BindContext.TryParseNetwork(peer, out var network))
                    {
                        address = address with { Peer = network };
                    }
                    else
                    {
                        ctx.Error(line, $"invalid peer address '{peer}'");
                    }
                    break;
                case "home":
                    address = address with { Home = true };
                    break;
                case "-nodad" or "nodad":
                    address = address with { NoDad = true };
                    break;
                case "mngtmpaddr":
                    address = address with { ManageTempAddress = true };
                    break;
                case "noprefixroute":
                    address = address with { NoPrefixRoute = true };
                    break;
                case "autojoin":
                    address = address with { AutoJoin = true };
                    break;
                case "use_vmac":
                    address = address with { UseVmac = true };
                    break;
                case "no_track":
                    address = address with { NoTrack = true };
                    break;
                case "track_group":
                    address = address with { TrackGroup = Next() };
                    break;
                case "preferred_lft":
                    var lft = Next();
                    address = address with { PreferredLifetime = lft == "forever" ? null : int.TryParse(lft, out var seconds) ? seconds : null };
                    break;
                default:
                    ctx.Warning(line, $"Unknown address option '{option}' for {words[0]}");
                    break;
            }
        }
        return address;
    }

    private static readonly HashSet<string> RouteTypes = new(StringComparer.Ordinal)
    {
        "unicast", "blackhole", "unreachable", "prohibit", "throw", "local", "broadcast", "anycast", "multicast", "nat",
    };

    public static EquatableArray<RouteConfig> Routes(BindContext ctx, ConfigNode block, bool virtualRoutes)
    {
        var list = new List<RouteConfig>();
        foreach (var line in block.Children ?? [])
        {
            if (Route(ctx, line, virtualRoutes) is { } route)
            {
                list.Add(ctx.Locate(route, line.At));
            }
        }
        return list.ToEquatableArray();
    }

    public static RouteConfig? Route(BindContext ctx, ConfigNode line, bool virtualRoute)
    {
        var words = line.Words;
        var i = 0;
        var type = "unicast";
        IPAddress? source = null;
        if (RouteTypes.Contains(words[0]))
        {
            type = words[0];
            i++;
        }
        if (i < words.Length && words[i] == "src" && i + 1 < words.Length)
        {
            source = BindContext.ParseIp(words[i + 1]);
            if (source is null)
            {
                ctx.Error(line, $"invalid route source '{words[i + 1]}'");
                return null;
            }
            i += 2;
        }
        if (i < words.Length && words[i] == "to")
        {
            i++;
        }
        if (i >= words.Length || !BindContext.TryParseNetwork(words[i], out var destination))
        {
            ctx.Error(line, $"invalid route destination '{(i < words.Length ? words[i] : "")}'");
            return null;
        }
        i++;
        var route = new RouteConfig { Type = type, Destination = destination, Source = source };
        var options = new List<string>();
        var hops = new List<NextHopConfig>();
        for (; i < words.Length; i++)
        {
            var option = words[i];
            string? Next() => i + 1 < words.Length ? words[++i] : null;
            switch (option)
            {
                case "via" or "gw":
                    if (option == "gw")
                    {
                        ctx.Warning(line, "\"gw\" for routes is deprecated. Please use \"via\"");
                    }
                    var via = Next();
                    var viaIp = via is null ? null : BindContext.ParseIp(via);
                    if (viaIp is null && via is "inet" or "inet6")
                    {
                        via = Next();
                        viaIp = via is null ? null : BindContext.ParseIp(via);
                    }
                    if (viaIp is null)
                    {
                        ctx.Error(line, $"invalid gateway '{via}'");
                        return null;
                    }
                    route = route with { Via = viaIp };
                    break;
                case "or":
                    // keepalived compat: "or GW" is an old spelling of a second next hop.
                    ctx.Warning(line, "\"or\" for routes is deprecated. Please use \"nexthop\"");
                    var alternative = Next();
                    if (alternative is not null && BindContext.ParseIp(alternative) is { } alternativeIp)
                    {
                        if (hops.Count == 0 && route.Via is not null)
                        {
                            hops.Add(new NextHopConfig(route.Via, route.Device, null, false));
                            route = route with { Via = null };
                        }
                        hops.Add(new NextHopConfig(alternativeIp, null, null, false));
                    }
                    break;
                case "nexthop":
                    IPAddress? hopVia = null;
                    string? hopDev = null;
                    int? hopWeight = null;
                    var onlink = false;
                    while (i + 1 < words.Length && words[i + 1] is "via" or "dev" or "weight" or "onlink")
                    {
                        var key = words[++i];
                        if (key == "onlink")
                        {
                            onlink = true;
                            continue;
                        }
                        var value = Next();
                        switch (key)
                        {
                            case "via":
                                hopVia = value is null ? null : BindContext.ParseIp(value);
                                break;
                            case "dev":
                                hopDev = value;
                                break;
                            default:
                                hopWeight = int.TryParse(value, out var w) ? w : null;
                                break;
                        }
                    }
                    hops.Add(new NextHopConfig(hopVia, hopDev, hopWeight, onlink));
                    break;
                case "dev" or "oif":
                    route = route with { Device = Next() };
                    break;
                case "table":
                    route = route with { Table = Next() };
                    break;
                case "scope":
                    route = route with { Scope = Next() };
                    break;
                case "metric" or "priority" or "preference":
                    var metric = Next();
                    route = route with { Metric = int.TryParse(metric, out var m) ? m : null };
                    break;
                case "proto" or "protocol":
                    route = route with { Protocol = Next() };
                    break;
                case "src":
                    var src = Next();
                    route = route with { Source = src is null ? null : BindContext.ParseIp(src) };
                    break;
                case "onlink":
                    route = route with { OnLink = true };
                    break;
                case "no_track":
                    route = route with { NoTrack = true };
                    break;
                case "track_group":
                    route = route with { TrackGroup = Next() };
                    break;
                default:
                    options.Add(option);
                    break;
            }
        }
        route = route with { NextHops = hops.ToEquatableArray(), Options = options.ToEquatableArray() };
        if (virtualRoute && route.Device is null && route.NextHops.All(h => h.Device is null) && !route.NoTrack && type == "unicast"
            || virtualRoute && type != "unicast" && route.Device is null && !route.NoTrack)
        {
            ctx.Warning(line, $"Warning - cannot track route {destination} with no interface specified, not tracking");
            route = route with { NoTrack = true };
        }
        return route;
    }

    public static EquatableArray<RuleConfig> Rules(BindContext ctx, ConfigNode block)
    {
        var list = new List<RuleConfig>();
        foreach (var line in block.Children ?? [])
        {
            if (Rule(ctx, line) is { } rule)
            {
                list.Add(ctx.Locate(rule, line.At));
            }
        }
        return list.ToEquatableArray();
    }

    public static RuleConfig? Rule(BindContext ctx, ConfigNode line)
    {
        var words = line.Words;
        var rule = new RuleConfig();
        var options = new List<string>();
        var hasPreference = false;
        for (var i = 0; i < words.Length; i++)
        {
            var option = words[i];
            string? Next() => i + 1 < words.Length ? words[++i] : null;
            switch (option)
            {
                case "from" or "to":
                    var text = Next() ?? string.Empty;
                    if (!BindContext.TryParseNetwork(text, out var network))
                    {
                        ctx.Error(line, $"VRRP parsed invalid IP {text}. skipping IP...");
                        ctx.Error(line, $"Invalid rule {option} address {text}");
                        return null;
                    }
                    rule = option == "from" ? rule with { From = network } : rule with { To = network };
                    rule = rule with { IsIPv6 = network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 };
                    break;
                case "preference" or "pref" or "priority":
                    var pref = Next();
                    if (!int.TryParse(pref, out var preference) || preference < 0)
                    {
                        ctx.Error(line, $"invalid rule preference '{pref}'");
                        return null;
                    }
                    rule = rule with { Preference = preference };
                    hasPreference = true;
                    break;
                case "table" or "lookup":
                    rule = rule with { Table = Next() };
                    break;
                case "iif" or "dev":
                    rule = rule with { InterfaceIn = Next() };
                    break;
                case "oif":
                    rule = rule with { InterfaceOut = Next() };
                    break;
                case "not":
                    rule = rule with { Invert = true };
                    break;
                case "no_track":
                    rule = rule with { NoTrack = true };
                    break;
                case "track_group":
                    rule = rule with { TrackGroup = Next() };
                    break;
                case "inet6":
                    rule = rule with { IsIPv6 = true };
                    break;
                case "inet":
                    break;
                case "blackhole" or "prohibit" or "unreachable" or "goto" or "nop":
                    rule = rule with { Action = option == "goto" ? $"goto {Next()}" : option };
                    break;
                default:
                    options.Add(option);
                    break;
            }
        }
        if (!hasPreference)
        {
            var preference = ctx.NextRulePreference--;
            ctx.Warning(line, $"Rule has no preference specified - setting to {preference}. This is probably not what you want.");
            rule = rule with { Preference = preference };
        }
        return rule with { Options = options.ToEquatableArray() };
    }
}
