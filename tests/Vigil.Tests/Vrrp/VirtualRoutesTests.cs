using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Config;
using Vigil.Linux.Netlink.Route;
using Vigil.Vrrp;

namespace Vigil.Tests.Vrrp;

public sealed class VirtualRoutesTests
{
    private static VrrpInstanceConfig Instance(string body)
    {
        var text = $$"""
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                priority 100
                virtual_ipaddress {
                    10.77.0.100/24
                }
                {{body}}
            }
            """;
        var result = ConfigLoader.LoadText(text);
        var config = result.Config ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        return Assert.Single(config.VrrpInstances);
    }

    private static RouteEntry Route(string line, NetworkKernelFake? kernel = null)
    {
        var config = Assert.Single(Instance($"virtual_routes {{\n{line}\n}}").VirtualRoutes);
        var route = VirtualRoutesMapper.MapRoute(config, (kernel ?? new NetworkKernelFake()).GetLinkIndex, IpNames.BuiltIn, out var error);
        Assert.True(route is not null, error);
        return route;
    }

    private static RoutingRule Rule(string line)
    {
        var config = Assert.Single(Instance($"virtual_rules {{\n{line}\n}}").VirtualRules);
        var rule = VirtualRoutesMapper.MapRule(config, IpNames.BuiltIn, out var error);
        Assert.True(rule is not null, error);
        return rule;
    }

    [Fact]
    public void MapRoute_ViaDev_GatewayOifMainTableProtoKeepalivedScopeGlobal()
    {
        var route = Route("10.77.70.0/24 via 10.77.0.254 dev eth0");

        Assert.Equal(new RouteEntry(IPAddress.Parse("10.77.70.0"), 24)
        {
            Gateway = IPAddress.Parse("10.77.0.254"),
            OutputInterfaceIndex = 2,
            Table = RouteTables.Main,
            Protocol = RouteTables.ProtocolKeepalived,
            Scope = RouteScope.Universe,
        }, route);
    }

    [Fact]
    public void MapRoute_DevOnlyWithTableAndMetric_KeepsScopeGlobalAsKeepalived()
    {
        // keepalived 2.2.7 showed "10.77.52.0/24 dev eth0 table 100 proto keepalived metric 7": no scope link.
        var route = Route("10.77.52.0/24 dev eth0 table 100 metric 7");

        Assert.Equal((100u, (uint?)7u, RouteScope.Universe, 2), (route.Table, route.Metric, route.Scope, route.OutputInterfaceIndex));
        Assert.Null(route.Gateway);
    }

    [Fact]
    public void MapRoute_SrcTableMetricProtocolNames_AllMapped()
    {
        var route = Route("src 10.77.0.100 10.77.71.0/24 dev eth0 table 200 metric 5 protocol static scope link");

        Assert.Equal(IPAddress.Parse("10.77.0.100"), route.PreferredSource);
        Assert.Equal((200u, (uint?)5u, RouteTables.ProtocolStatic, RouteScope.Link), (route.Table, route.Metric, route.Protocol, route.Scope));
    }

    [Theory]
    [InlineData("blackhole 10.77.51.0/24", RouteType.Blackhole)]
    [InlineData("unreachable 10.77.72.0/24", RouteType.Unreachable)]
    [InlineData("prohibit 10.77.73.0/24 table 200", RouteType.Prohibit)]
    [InlineData("throw 10.77.74.0/24 table 200", RouteType.Throw)]
    public void MapRoute_Types_MapToRtmType(string line, RouteType type)
    {
        var route = Route(line);

        Assert.Equal(type, route.Type);
        Assert.Equal(0, route.OutputInterfaceIndex);
    }

    [Fact]
    public void MapRoute_OnLinkAndTos_FlagAndHeaderSet()
    {
        var route = Route("10.77.74.0/24 via 10.77.99.1 dev eth0 onlink tos 0x10");

        Assert.True(route.OnLink);
        Assert.Equal(0x10, route.Tos);
    }

    [Fact]
    public void MapRoute_Ipv6Default_IsIpv6AnyNotIpv4()
    {
        var route = Route("default via fd77::254 dev eth0");

        Assert.Equal((IPAddress.IPv6Any, 0), (route.Destination, route.PrefixLength));
        Assert.Equal(IPAddress.Parse("fd77::254"), route.Gateway);
    }

    [Fact]
    public void MapRoute_MissingDevice_ErrorNamesIt()
    {
        var config = Assert.Single(Instance("virtual_routes {\n10.77.70.0/24 dev eth9\n}").VirtualRoutes);

        var route = VirtualRoutesMapper.MapRoute(config, new NetworkKernelFake().GetLinkIndex, IpNames.BuiltIn, out var error);

        Assert.Null(route);
        Assert.Equal("interface eth9 does not exist", error);
    }

    [Fact]
    public void MapRoute_UnknownTableName_ErrorUnlessRtTablesNamesIt()
    {
        var config = Assert.Single(Instance("virtual_routes {\n10.77.70.0/24 dev eth0 table dmz\n}").VirtualRoutes);
        var names = new IpNames();

        Assert.Null(VirtualRoutesMapper.MapRoute(config, new NetworkKernelFake().GetLinkIndex, names, out var error));
        Assert.Equal("unknown table 'dmz'", error);

        names.AddTables("# comment\n255\tlocal\n  42 dmz # the DMZ\n");
        Assert.Equal(42u, VirtualRoutesMapper.MapRoute(config, new NetworkKernelFake().GetLinkIndex, names, out _)!.Table);
    }

    [Fact]
    public void MapRoute_UnsupportedOption_RefusedNotSilentlyDropped()
    {
        var config = Assert.Single(Instance("virtual_routes {\n10.77.70.0/24 dev eth0 mtu 1400\n}").VirtualRoutes);

        Assert.Null(VirtualRoutesMapper.MapRoute(config, new NetworkKernelFake().GetLinkIndex, IpNames.BuiltIn, out var error));
        Assert.Contains("mtu", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MapRule_FromTablePriority_ProtoKeepalived()
    {
        var rule = Rule("from 10.77.80.0/24 table 200 priority 2000");

        Assert.Equal(new RoutingRule(AddressFamily.InterNetwork)
        {
            Action = RuleAction.ToTable,
            Table = 200,
            Priority = 2000,
            Source = IPAddress.Parse("10.77.80.0"),
            SourcePrefixLength = 24,
            Protocol = RouteTables.ProtocolKeepalived,
        }, rule);
    }

    [Fact]
    public void MapRule_ToIif_DestinationAndInputInterface()
    {
        var rule = Rule("to 10.77.81.0/24 iif eth0 table 200 priority 2001");

        Assert.Equal((IPAddress.Parse("10.77.81.0"), 24, "eth0"), (rule.Destination, rule.DestinationPrefixLength, rule.InputInterface));
        Assert.Null(rule.Source);
    }

    [Fact]
    public void MapRule_FwmarkWithMask_MarkAndMask()
    {
        var rule = Rule("fwmark 0x10/0xff table 200 priority 2002");

        Assert.Equal(((uint?)0x10u, (uint?)0xffu), (rule.FirewallMark, rule.FirewallMask));
    }

    [Fact]
    public void MapRule_BlackholeOif_ActionAndNoTable()
    {
        var rule = Rule("from 10.77.82.0/24 oif eth0 blackhole priority 2003");

        Assert.Equal((RuleAction.Blackhole, 0u, "eth0"), (rule.Action, rule.Table, rule.OutputInterface));
    }

    [Fact]
    public void MapRule_Ipv6NotWithoutPreference_FamilyInvertAndKeepalivedDefaultPreference()
    {
        var rule = Rule("not from fd77:3::/64 table 300");

        Assert.Equal((AddressFamily.InterNetworkV6, true, (uint?)16384u), (rule.Family, rule.Invert, rule.Priority));
    }

    [Fact]
    public void Install_RoutesThenRules_RemoveRulesThenRoutes()
    {
        var instance = Instance("""
            virtual_routes {
                10.77.70.0/24 via 10.77.0.254 dev eth0
                blackhole 10.77.51.0/24
            }
            virtual_rules {
                from 10.77.80.0/24 table 200 priority 2000
            }
            """);
        var kernel = new NetworkKernelFake();
        var routes = new VirtualRoutes("VI_1", "Virtual", instance.VirtualRoutes, instance.VirtualRules, kernel, IpNames.BuiltIn, NullLogger.Instance);

        routes.Install();
        routes.Install();
        Assert.Equal(["add route Unicast 10.77.70.0/24", "add route Blackhole 10.77.51.0/24", "add rule pref 2000"], kernel.Calls);
        Assert.Equal(2, kernel.Routes.Count);
        Assert.True(routes.Installed);

        kernel.Calls.Clear();
        routes.Remove();
        routes.Remove();
        Assert.Equal(["del rule pref 2000", "del route Unicast 10.77.70.0/24", "del route Blackhole 10.77.51.0/24"], kernel.Calls);
        Assert.Empty(kernel.Routes);
        Assert.Empty(kernel.Rules);
        Assert.False(routes.Installed);
    }

    [Fact]
    public void Install_OneRouteRefused_OthersStillGoInAndErrorCounted()
    {
        var instance = Instance("""
            virtual_routes {
                10.77.74.0/24 via 10.77.99.1 dev eth0 onlink scope link
                10.77.70.0/24 via 10.77.0.254 dev eth0
                10.77.75.0/24 dev eth7
            }
            """);
        var kernel = new NetworkKernelFake();
        kernel.Refuse.Add("Unicast 10.77.74.0/24");
        var routes = new VirtualRoutes("VI_1", "Virtual", instance.VirtualRoutes, instance.VirtualRules, kernel, IpNames.BuiltIn, NullLogger.Instance);

        routes.Install();

        Assert.Equal(2, routes.Errors);
        var installed = Assert.Single(routes.InstalledRoutes);
        Assert.Equal(IPAddress.Parse("10.77.70.0"), installed.Destination);
        kernel.Calls.Clear();
        routes.Remove();
        Assert.Equal(["del route Unicast 10.77.70.0/24"], kernel.Calls);
    }

    [Fact]
    public void RemoveLeftovers_NotInstalled_DeletesEveryMappableLineRulesFirst()
    {
        var instance = Instance("""
            virtual_routes {
                10.77.70.0/24 via 10.77.0.254 dev eth0
                10.77.75.0/24 dev eth7
            }
            virtual_rules {
                to 10.77.81.0/24 table 200 priority 2001
            }
            """);
        var kernel = new NetworkKernelFake();
        var routes = new VirtualRoutes("VI_1", "Virtual", instance.VirtualRoutes, instance.VirtualRules, kernel, IpNames.BuiltIn, NullLogger.Instance);

        routes.RemoveLeftovers();

        Assert.Equal(["del rule pref 2001", "del route Unicast 10.77.70.0/24"], kernel.Calls);
        Assert.Equal(0, routes.Errors);
        Assert.False(routes.Installed);
    }
}
