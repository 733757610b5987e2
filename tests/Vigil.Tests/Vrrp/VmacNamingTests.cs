using System.Net.NetworkInformation;
using Vigil.Config;
using Vigil.Vrrp;

namespace Vigil.Tests.Vrrp;

public sealed class VmacNamingTests
{
    private static KeepalivedConfig Load(string text)
    {
        var result = ConfigLoader.LoadText(text);
        return result.Config ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
    }

    private static KeepalivedConfig Instance(string vmacLine, string global = "") => Load($$"""
        global_defs {
            {{global}}
        }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority 100
            {{vmacLine}}
            virtual_ipaddress {
                10.77.0.100/24
            }
        }
        """);

    [Theory]
    [InlineData(51, false, "00-00-5E-00-01-33")]
    [InlineData(52, true, "00-00-5E-00-02-34")]
    [InlineData(255, false, "00-00-5E-00-01-FF")]
    public void Mac_Default_Rfc5798VirtualMacPerFamily(int vrid, bool ipv6, string expected)
    {
        Assert.Equal(PhysicalAddress.Parse(expected), VmacNaming.Mac(vrid, ipv6, null));
    }

    [Fact]
    public void Mac_FiveOctets_VridAppended()
    {
        Assert.Equal(PhysicalAddress.Parse("02-11-22-33-44-33"), VmacNaming.Mac(51, false, "02:11:22:33:44"));
        Assert.Equal(PhysicalAddress.Parse("02-11-22-33-44-55"), VmacNaming.Mac(51, false, "02:11:22:33:44:55"));
        Assert.Throws<ArgumentException>(() => VmacNaming.Mac(51, false, "02:11:zz:33:44"));
    }

    [Fact]
    public void Candidates_NoName_PrefixDotVridThenNumberedAsKeepalived()
    {
        var config = Instance("use_vmac");

        var names = VmacNaming.Candidates(Assert.Single(config.VrrpInstances), config.GlobalDefs).Take(3).ToList();

        Assert.Equal(["vrrp.51", "vrrp1.51", "vrrp2.51"], names);
    }

    [Fact]
    public void Candidates_VmacPrefix_Used()
    {
        var config = Instance("use_vmac", "vmac_prefix vm");

        Assert.Equal("vm.51", VmacNaming.Candidates(Assert.Single(config.VrrpInstances), config.GlobalDefs).First());
    }

    [Fact]
    public void Candidates_NamedVmac_OnlyThatName()
    {
        var config = Instance("use_vmac vmac51");

        Assert.Equal(["vmac51"], VmacNaming.Candidates(Assert.Single(config.VrrpInstances), config.GlobalDefs));
    }

    [Fact]
    public void Settings_IPv4_ArpOnParentAndVmacAcceptLocalNoRpFilterNoIpv6()
    {
        var settings = VmacNaming.Settings("vrrp.51", "eth0", ipv6: false).ToDictionary(s => s.Key, s => s.Value);

        // What keepalived 2.2.7 left in /proc/sys for vrrp.51 on eth0.
        Assert.Equal("1", settings["net/ipv4/conf/eth0/arp_ignore"]);
        Assert.Equal("1", settings["net/ipv4/conf/eth0/arp_filter"]);
        Assert.Equal("1", settings["net/ipv4/conf/vrrp.51/arp_ignore"]);
        Assert.Equal("1", settings["net/ipv4/conf/vrrp.51/accept_local"]);
        Assert.Equal("0", settings["net/ipv4/conf/vrrp.51/rp_filter"]);
        Assert.Equal("1", settings["net/ipv4/conf/vrrp.51/promote_secondaries"]);
        Assert.Equal("1", settings["net/ipv6/conf/vrrp.51/disable_ipv6"]);
        Assert.Equal("1", settings["net/ipv6/conf/vrrp.51/addr_gen_mode"]);
    }

    [Fact]
    public void Settings_IPv6_OnlyNoAddressGeneration()
    {
        Assert.Equal([("net/ipv6/conf/vrrp.52/addr_gen_mode", "1")], VmacNaming.Settings("vrrp.52", "eth0", ipv6: true));
    }

    [Fact]
    public void RpFilterChanges_AllSet_RaisesLowerOnesClearsAllAndRestores()
    {
        var current = new Dictionary<string, int> { ["all"] = 1, ["default"] = 1, ["lo"] = 2, ["eth0"] = 0 };

        var writes = VmacNaming.RpFilterChanges(current, out var restore);

        Assert.Equal([("net/ipv4/conf/eth0/rp_filter", "1"), ("net/ipv4/conf/all/rp_filter", "0")], writes);
        Assert.Equal([("net/ipv4/conf/all/rp_filter", "1"), ("net/ipv4/conf/eth0/rp_filter", "0")], restore);
    }

    [Fact]
    public void RpFilterChanges_AllZero_NothingToDo()
    {
        var writes = VmacNaming.RpFilterChanges(new Dictionary<string, int> { ["all"] = 0, ["eth0"] = 1 }, out var restore);

        Assert.Empty(writes);
        Assert.Empty(restore);
    }
}
