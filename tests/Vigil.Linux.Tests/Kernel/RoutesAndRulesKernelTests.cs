using System.Net;
using System.Net.Sockets;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Linux.Tests.Kernel;

public sealed class RoutesAndRulesKernelTests : IDisposable
{
    private readonly LabPair _lab;
    private readonly NetworkNamespace _ns;
    private readonly RouteNetlink _rtnl;

    public RoutesAndRulesKernelTests()
    {
        _lab = LabPair.Create();
        _ns = NetworkNamespace.Open(_lab.A);
        _rtnl = RouteNetlink.Open(_ns);
    }

    [Fact]
    public void AddRouteIfAbsent_ViaGatewayInTable_ShowsInIpRouteAndDeletes()
    {
        var route = new RouteEntry(IPAddress.Parse("10.78.0.0"), 16)
        {
            Gateway = IPAddress.Parse("10.77.0.2"),
            OutputInterfaceIndex = _rtnl.GetLinkIndex("va")!.Value,
            Table = 1000,
            Metric = 100,
            Protocol = RouteTables.ProtocolKeepalived,
        };

        Assert.True(_rtnl.AddRouteIfAbsent(route));
        Assert.False(_rtnl.AddRouteIfAbsent(route));

        var shown = Assert.Single(LabPair.IpJson(_lab.A, "route show table 1000").EnumerateArray());
        Assert.Equal("10.78.0.0/16", shown.GetProperty("dst").GetString());
        Assert.Equal("10.77.0.2", shown.GetProperty("gateway").GetString());
        Assert.Equal("va", shown.GetProperty("dev").GetString());
        Assert.Equal(100, shown.GetProperty("metric").GetInt32());
        Assert.Contains(_rtnl.GetRoutes(AddressFamily.InterNetwork), r => r == route);

        Assert.True(_rtnl.DeleteRouteIfPresent(route));
        Assert.False(_rtnl.DeleteRouteIfPresent(route));
        Assert.Empty(LabPair.IpJson(_lab.A, "route show table 1000").EnumerateArray());
    }

    [Fact]
    public void ReplaceRoute_IPv6Blackhole_IsIdempotent()
    {
        var route = new RouteEntry(IPAddress.Parse("fd78::"), 64) { Type = RouteType.Blackhole, Table = 20 };

        _rtnl.ReplaceRoute(route);
        _rtnl.ReplaceRoute(route);

        var shown = Assert.Single(LabPair.IpJson(_lab.A, "-6 route show table 20").EnumerateArray());
        Assert.Equal("blackhole", shown.GetProperty("type").GetString());
        Assert.True(_rtnl.DeleteRouteIfPresent(route));
    }

    [Fact]
    public void AddRuleIfAbsent_FromToFwmark_ShowsInIpRuleAndDeletes()
    {
        var rule = new RoutingRule(AddressFamily.InterNetwork)
        {
            Source = IPAddress.Parse("10.77.0.100"),
            SourcePrefixLength = 32,
            Table = 1000,
            Priority = 100,
            FirewallMark = 0x10,
            FirewallMask = 0xff,
        };

        Assert.True(_rtnl.AddRuleIfAbsent(rule));
        Assert.False(_rtnl.AddRuleIfAbsent(rule));

        var shown = Assert.Single(LabPair.IpJson(_lab.A, "rule show").EnumerateArray(), r => r.GetProperty("priority").GetInt32() == 100);
        Assert.Equal("10.77.0.100", shown.GetProperty("src").GetString());
        Assert.Equal("1000", shown.GetProperty("table").GetString());
        Assert.Contains(_rtnl.GetRules(AddressFamily.InterNetwork), r => r.Priority == 100 && r.Table == 1000 && r.FirewallMark == 0x10);

        Assert.True(_rtnl.DeleteRuleIfPresent(rule));
        Assert.False(_rtnl.DeleteRuleIfPresent(rule));
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _ns.Dispose();
        _lab.Dispose();
    }
}
