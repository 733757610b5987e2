using System.Net.NetworkInformation;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using Vigil.Linux.Sysctl;

namespace Vigil.Linux.Tests.Kernel;

public sealed class LinksAndSysctlKernelTests : IDisposable
{
    private readonly LabPair _lab;
    private readonly NetworkNamespace _ns;
    private readonly RouteNetlink _rtnl;

    public LinksAndSysctlKernelTests()
    {
        _lab = LabPair.Create();
        _ns = NetworkNamespace.Open(_lab.A);
        _rtnl = RouteNetlink.Open(_ns);
    }

    [Fact]
    public void CreateMacvlanIfAbsent_Vmac_ShowsInIpLinkThenGoesUpAndDeletes()
    {
        var parent = _rtnl.GetLinkIndex("va")!.Value;
        var vmac = PhysicalAddress.Parse("00-00-5E-00-01-33");

        Assert.True(_rtnl.CreateMacvlanIfAbsent("vrrp.51", parent, vmac));
        Assert.False(_rtnl.CreateMacvlanIfAbsent("vrrp.51", parent, vmac));

        var shown = Assert.Single(LabPair.IpJson(_lab.A, "-d link show vrrp.51").EnumerateArray());
        Assert.Equal("00:00:5e:00:01:33", shown.GetProperty("address").GetString());
        Assert.Equal("macvlan", shown.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("private", shown.GetProperty("linkinfo").GetProperty("info_data").GetProperty("mode").GetString());
        var link = _rtnl.GetLink("vrrp.51")!;
        Assert.Equal(("macvlan", parent, vmac), (link.Kind, link.LinkIndex, link.HardwareAddress));
        Assert.False(link.IsUp);

        _rtnl.SetLinkUp(link.Index, up: true);
        Assert.True(_rtnl.GetLink(link.Index)!.IsUp);
        _rtnl.SetLinkUp(link.Index, up: false);
        Assert.False(_rtnl.GetLink(link.Index)!.IsUp);

        Assert.True(_rtnl.DeleteLinkIfPresent(link.Index));
        Assert.False(_rtnl.DeleteLinkIfPresent(link.Index));
        Assert.Null(_rtnl.GetLink("vrrp.51"));
    }

    [Fact]
    public void Write_InterfaceSettingInsideNamespace_IsSeenBySysctlThere()
    {
        KernelSettings.Write("net/ipv4/conf/va/arp_ignore", "1", _ns);

        Assert.Equal("1", KernelSettings.Read("net/ipv4/conf/va/arp_ignore", _ns));
        Assert.Equal("1", LabPair.Ip($"netns exec {_lab.A} sysctl -n net.ipv4.conf.va.arp_ignore").Trim());
        Assert.False(File.Exists("/proc/sys/net/ipv4/conf/va/arp_ignore")); // va exists only in the namespace
    }

    [Fact]
    public void Read_DottedInterfaceName_UsesSlashPath()
    {
        _rtnl.CreateMacvlanIfAbsent("vrrp.52", _rtnl.GetLinkIndex("va")!.Value, PhysicalAddress.Parse("00-00-5E-00-01-34"));

        Assert.Equal("0", KernelSettings.Read("net/ipv6/conf/vrrp.52/forwarding", _ns));
    }

    [Fact]
    public void Read_ParentTraversal_Throws()
    {
        Assert.Throws<ArgumentException>(() => KernelSettings.Read("net/../../etc/passwd"));
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _ns.Dispose();
        _lab.Dispose();
    }
}
