using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Linux.Tests.Kernel;

/// <summary>rtnetlink against the real kernel, inside lab namespaces (root only).</summary>
public sealed class RouteNetlinkKernelTests : IDisposable
{
    private readonly LabPair _lab;
    private readonly NetworkNamespace _ns;
    private readonly RouteNetlink _rtnl;

    public RouteNetlinkKernelTests()
    {
        _lab = LabPair.Create();
        _ns = NetworkNamespace.Open(_lab.A);
        _rtnl = RouteNetlink.Open(_ns);
    }

    [Fact]
    public void GetLinks_InLabNamespace_MatchesIpLink()
    {
        var links = _rtnl.GetLinks();

        var expected = LabPair.IpJson(_lab.A, "link show").EnumerateArray()
            .Select(l => (l.GetProperty("ifindex").GetInt32(), l.GetProperty("ifname").GetString(), l.GetProperty("mtu").GetInt32(), l.GetProperty("address").GetString()))
            .OrderBy(l => l.Item1)
            .ToList();
        var actual = links
            .Select(l => (l.Index, (string?)l.Name, l.Mtu, (string?)FormatMac(l)))
            .OrderBy(l => l.Index)
            .ToList();
        Assert.Equal(expected, actual);
        var va = Assert.Single(links, l => l.Name == "va");
        Assert.True(va.IsUp);
        Assert.Equal("veth", va.Kind);
        Assert.Equal(LinkFlags.Loopback, Assert.Single(links, l => l.Name == "lo").Flags & LinkFlags.Loopback);
    }

    [Fact]
    public void GetLink_ByNameAndIndex_FindsTheSameLinkOrNull()
    {
        var byName = _rtnl.GetLink("va");

        Assert.NotNull(byName);
        Assert.Equal(byName, _rtnl.GetLink(byName.Index));
        Assert.Equal(byName.Index, _rtnl.GetLinkIndex("va"));
        Assert.Null(_rtnl.GetLink("nosuchdev0"));
        Assert.Null(_rtnl.GetLink(999_999));
        Assert.True(_rtnl.InterfaceExists("va"));
        Assert.False(_rtnl.InterfaceExists("vb")); // it lives in the other namespace
        Assert.False(_rtnl.InterfaceExists("a-name-longer-than-ifnamsiz"));
    }

    [Fact]
    public void AddAddressIfAbsent_WithLabelScopeBroadcast_ShowsInIpAddrAndDeletes()
    {
        var index = _rtnl.GetLinkIndex("va")!.Value;
        // Its own prefix: since Linux 6.x a secondary must share the primary's scope ("ipv4: Invalid scope value").
        var vip = new InterfaceAddress(index, IPAddress.Parse("10.77.0.100"), 28)
        {
            Broadcast = IPAddress.Parse("10.77.0.111"),
            Scope = AddressScope.Link,
            Label = "va:vip1",
        };

        Assert.True(_rtnl.AddAddressIfAbsent(vip));
        Assert.False(_rtnl.AddAddressIfAbsent(vip));

        var shown = FindIpAddr("10.77.0.100");
        Assert.NotNull(shown);
        Assert.Equal(28, shown.Value.GetProperty("prefixlen").GetInt32());
        Assert.Equal("link", shown.Value.GetProperty("scope").GetString());
        Assert.Equal("va:vip1", shown.Value.GetProperty("label").GetString());
        Assert.Equal("10.77.0.111", shown.Value.GetProperty("broadcast").GetString());
        var listed = Assert.Single(_rtnl.GetAddresses(index, AddressFamily.InterNetwork), a => a.SameKernelAddress(vip));
        Assert.Equal(vip with { Flags = AddressFlags.Permanent }, listed);

        Assert.True(_rtnl.DeleteAddressIfPresent(vip));
        Assert.False(_rtnl.DeleteAddressIfPresent(vip));
        Assert.Null(FindIpAddr("10.77.0.100"));
        Assert.NotNull(FindIpAddr("10.77.0.1")); // the primary is untouched
    }

    [Fact]
    public void AddAddress_IPv6NoDadNoPrefixRouteHome_ShowsFlagsInIpAddr()
    {
        var index = _rtnl.GetLinkIndex("va")!.Value;
        var vip = new InterfaceAddress(index, IPAddress.Parse("fd77::100"), 64)
        {
            Flags = AddressFlags.NoDad | AddressFlags.NoPrefixRoute | AddressFlags.HomeAddress,
        };

        _rtnl.AddAddress(vip);

        var shown = FindIpAddr("fd77::100");
        Assert.NotNull(shown);
        Assert.True(shown.Value.GetProperty("nodad").GetBoolean());
        Assert.True(shown.Value.GetProperty("noprefixroute").GetBoolean());
        Assert.True(shown.Value.GetProperty("home").GetBoolean());
        var error = Assert.Throws<KernelException>(() => _rtnl.AddAddress(vip));
        Assert.Equal(Errno.EEXIST, error.Errno);
        _rtnl.DeleteAddress(vip);
        Assert.Null(FindIpAddr("fd77::100"));
        Assert.False(_rtnl.DeleteAddressIfPresent(vip));
        Assert.Equal(Errno.EADDRNOTAVAIL, Assert.Throws<KernelException>(() => _rtnl.DeleteAddress(vip)).Errno);
    }

    [Fact]
    public void AddAddressIfAbsent_SecondaryInPrimarySubnet_IsSecondaryAndDeletesAlone()
    {
        var index = _rtnl.GetLinkIndex("va")!.Value;
        var vip = new InterfaceAddress(index, IPAddress.Parse("10.77.0.100"), 24) { Label = "va:1" };

        Assert.True(_rtnl.AddAddressIfAbsent(vip));

        var listed = Assert.Single(_rtnl.GetAddresses(index, AddressFamily.InterNetwork), a => a.SameKernelAddress(vip));
        Assert.Equal(AddressFlags.Permanent | AddressFlags.Secondary, listed.Flags);
        Assert.True(_rtnl.DeleteAddressIfPresent(vip));
        Assert.NotNull(FindIpAddr("10.77.0.1"));
    }

    [Fact]
    public void AddAddress_UnknownInterface_ThrowsWithErrno()
    {
        var error = Assert.Throws<KernelException>(() =>
            _rtnl.AddAddress(new InterfaceAddress(999_999, IPAddress.Parse("10.77.0.200"), 24)));

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Contains("RTM_NEWADDR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetAddresses_AfterIpAddrAdd_IncludesIt()
    {
        LabPair.Ip($"-n {_lab.A} addr add 10.77.0.50/32 dev va label va:ext preferred_lft 0");

        var found = Assert.Single(_rtnl.GetAddresses(AddressFamily.InterNetwork), a => a.Address.Equals(IPAddress.Parse("10.77.0.50")));

        Assert.Equal(32, found.PrefixLength);
        Assert.Equal("va:ext", found.Label);
        // The kernel reports permanent addresses with infinite lifetimes; preferred_lft 0 shows as the flag.
        Assert.Null(found.PreferredLifetime);
        Assert.True((found.Flags & AddressFlags.Deprecated) != 0);
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _ns.Dispose();
        _lab.Dispose();
    }

    private JsonElement? FindIpAddr(string address)
    {
        foreach (var link in LabPair.IpJson(_lab.A, "addr show dev va").EnumerateArray())
        {
            foreach (var info in link.GetProperty("addr_info").EnumerateArray())
            {
                if (info.GetProperty("local").GetString() == address)
                {
                    return info;
                }
            }
        }
        return null;
    }

    private static string? FormatMac(LinkInfo link) =>
        link.HardwareAddress is null ? null : string.Join(':', link.HardwareAddress.GetAddressBytes().Select(b => b.ToString("x2")));
}
