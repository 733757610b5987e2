using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using Vigil.Linux.Nftables;
using Vigil.Linux.Tests.Kernel;

namespace Vigil.Linux.Tests.Nftables;

/// <summary>
/// The VRRP firewall table in a namespace, compared with the `nft list ruleset` text keepalived 2.2.7 produced for the
/// same situation (observed in a lab namespace, interface names adapted).
/// </summary>
public sealed class VrrpFirewallKernelTests : IDisposable
{
    private readonly LabPair _lab;
    private readonly NetworkNamespace _ns;

    public VrrpFirewallKernelTests()
    {
        _lab = LabPair.Create(addresses: false);
        _ns = NetworkNamespace.Open(_lab.A);
    }

    private string Ruleset() => LabPair.Ip($"netns exec {_lab.A} nft list ruleset");

    private void Macvlan(string name, string mac)
    {
        using var rtnl = RouteNetlink.Open(_ns);
        rtnl.CreateMacvlanIfAbsent(name, rtnl.GetLinkIndex("va")!.Value, PhysicalAddress.Parse(mac));
    }

    [Fact]
    public void Apply_Ipv4NoAcceptMasterWithVmac_SameRulesetAsKeepalived()
    {
        Macvlan("vrrp.51", "00-00-5E-00-01-33");
        using var firewall = new VrrpFirewall(_ns);

        firewall.Apply(new VrrpFirewallState(AddressFamily.InterNetwork, [new VrrpVmacLink("vrrp.51", "va")], Filter: true,
            [IPAddress.Parse("10.77.0.100"), IPAddress.Parse("10.77.0.101")]));

        Assert.Equal("""
            table ip keepalived {
            	map vmac_map {
            		type iface_index : iface_index
            		elements = { "vrrp.51" : "va" }
            	}

            	set vips {
            		type ipv4_addr
            		elements = { 10.77.0.100, 10.77.0.101 }
            	}

            	chain out {
            		type filter hook output priority filter - 1; policy accept;
            		ip protocol igmp meta oifkind "macvlan" dup to ip daddr device oif map @vmac_map drop
            		ip saddr @vips drop
            	}

            	chain in {
            		type filter hook input priority filter - 1; policy accept;
            		ip daddr @vips drop
            	}
            }

            """, Ruleset());
    }

    [Fact]
    public void Apply_Ipv6VmacNoAcceptBackup_SameRulesetAsKeepalived()
    {
        Macvlan("vrrp6.52", "00-00-5E-00-02-34");
        using var firewall = new VrrpFirewall(_ns);

        firewall.Apply(new VrrpFirewallState(AddressFamily.InterNetworkV6, [new VrrpVmacLink("vrrp6.52", "va")], Filter: true, []));

        Assert.Equal("""
            table ip6 keepalived {
            	map vmac_map {
            		type iface_index : iface_index
            		elements = { "vrrp6.52" : "va" }
            	}

            	set vmac_set {
            		type iface_index
            		elements = { "vrrp6.52" }
            	}

            	set vips {
            		type ipv6_addr
            	}

            	set neighbor-discovery {
            		type icmpv6_type
            		flags constant
            		elements = { nd-neighbor-solicit,
            			     nd-neighbor-advert }
            	}

            	chain out {
            		type filter hook output priority filter - 1; policy accept;
            		icmpv6 type mld2-listener-report meta oifkind "macvlan" dup to ip6 daddr device oif map @vmac_map drop
            		icmpv6 type nd-router-solicit meta oifkind "macvlan" oif @vmac_set drop
            		icmpv6 type @neighbor-discovery accept
            		ip6 saddr fe80::/10 goto out_link_local
            		ip6 saddr @vips drop
            	}

            	chain in {
            		type filter hook input priority filter - 1; policy accept;
            		icmpv6 type @neighbor-discovery accept
            		ip6 daddr fe80::/10 goto in_link_local
            		ip6 daddr @vips drop
            	}

            	chain in_link_local {
            	}

            	chain out_link_local {
            	}
            }

            """, Ruleset());
    }

    [Fact]
    public void Apply_ChangesThenEmpty_VipsMoveAndTableGoes()
    {
        using var firewall = new VrrpFirewall(_ns);
        var backup = new VrrpFirewallState(AddressFamily.InterNetwork, [], Filter: true, []);
        var master = backup with { Vips = [IPAddress.Parse("10.77.0.110")] };

        firewall.Apply(backup);
        firewall.Apply(master);
        firewall.Apply(master);
        Assert.Contains("elements = { 10.77.0.110 }", Ruleset(), StringComparison.Ordinal);
        firewall.Apply(backup);
        Assert.DoesNotContain("10.77.0.110", Ruleset(), StringComparison.Ordinal);
        Assert.Contains("ip daddr @vips drop", Ruleset(), StringComparison.Ordinal);
        Assert.Equal(3, firewall.Transactions);

        firewall.Apply(new VrrpFirewallState(AddressFamily.InterNetwork, [], Filter: false, []));
        Assert.Equal("", Ruleset().Trim());
    }

    [Fact]
    public void Apply_VipsOnlyChange_TableKeepsItsPlaceInTheRuleset()
    {
        using var firewall = new VrrpFirewall(_ns);
        var v6 = new VrrpFirewallState(AddressFamily.InterNetworkV6, [], Filter: true, []);
        firewall.Apply(v6);
        firewall.Apply(new VrrpFirewallState(AddressFamily.InterNetwork, [], Filter: true, []));

        firewall.Apply(v6 with { Vips = [IPAddress.Parse("fd77::100"), IPAddress.Parse("fd77::101")] });

        var ruleset = Ruleset();
        Assert.StartsWith("table ip6 keepalived", ruleset, StringComparison.Ordinal);
        Assert.Contains("elements = { fd77::100,", ruleset, StringComparison.Ordinal);
        firewall.Apply(v6);
        Assert.StartsWith("table ip6 keepalived", Ruleset(), StringComparison.Ordinal);
        Assert.DoesNotContain("fd77::100", Ruleset(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _ns.Dispose();
        _lab.Dispose();
    }
}
