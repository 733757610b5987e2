using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Linux.Nftables;
using Vigil.Vrrp;

namespace Vigil.Tests.Vrrp;

public sealed class StrictModeFirewallTests
{
    private readonly List<VrrpFirewallState> _applied = [];

    private StrictModeFirewall New() => new(_applied.Add, NullLogger.Instance);

    private VrrpFirewallState Last(AddressFamily family) => _applied.Last(s => s.Family == family);

    [Fact]
    public void Register_NoAcceptInstance_EmptyFilterSetForItsFamilyOnly()
    {
        var firewall = New();

        firewall.Register("VI_1", AddressFamily.InterNetwork, filter: true, vmac: null);

        Assert.Equal((true, 0), (Last(AddressFamily.InterNetwork).Filter, Last(AddressFamily.InterNetwork).Vips.Count));
        Assert.True(Last(AddressFamily.InterNetworkV6).IsEmpty);
    }

    [Fact]
    public void BlockUnblock_Master_VipsInSetThenOut()
    {
        var firewall = New();
        firewall.Register("VI_1", AddressFamily.InterNetwork, filter: true, vmac: null);

        firewall.Block("VI_1", [IPAddress.Parse("10.77.0.100"), IPAddress.Parse("fd77::100")]);
        Assert.Equal([IPAddress.Parse("10.77.0.100")], Last(AddressFamily.InterNetwork).Vips);
        Assert.Equal([IPAddress.Parse("fd77::100")], Last(AddressFamily.InterNetworkV6).Vips);

        firewall.Unblock("VI_1");
        Assert.Empty(Last(AddressFamily.InterNetwork).Vips);
        Assert.True(Last(AddressFamily.InterNetworkV6).IsEmpty);
    }

    [Fact]
    public void Block_AcceptInstanceWithVmac_NoDropOnlyVmacMap()
    {
        var firewall = New();
        firewall.Register("VI_1", AddressFamily.InterNetwork, filter: false, new VrrpVmacLink("vrrp.51", "eth0"));

        firewall.Block("VI_1", [IPAddress.Parse("10.77.0.100")]);

        var state = Last(AddressFamily.InterNetwork);
        Assert.Equal((false, 0), (state.Filter, state.Vips.Count));
        Assert.Equal([new VrrpVmacLink("vrrp.51", "eth0")], state.Vmacs);
    }

    [Fact]
    public void Unregister_LastInstance_StateEmptySoTableGoes()
    {
        var firewall = New();
        firewall.Register("VI_1", AddressFamily.InterNetwork, filter: true, new VrrpVmacLink("vrrp.51", "eth0"));
        firewall.Register("VI_2", AddressFamily.InterNetwork, filter: true, null);
        firewall.Block("VI_2", [IPAddress.Parse("10.77.0.110")]);

        firewall.Unregister("VI_1");
        Assert.Equal((true, 1, 0), (Last(AddressFamily.InterNetwork).Filter, Last(AddressFamily.InterNetwork).Vips.Count, Last(AddressFamily.InterNetwork).Vmacs.Count));
        firewall.Unregister("VI_2");

        Assert.True(Last(AddressFamily.InterNetwork).IsEmpty);
    }
}
