using System.Net;
using System.Net.Sockets;
using Vigil.Balancing.Model;

namespace Vigil.Balancing.Tests.Model;

public class ServiceKeyTests
{
    [Fact]
    public void Range_Ipv4LastOctet_EveryAddressInclusive()
    {
        var keys = ServiceKeys.Range(IPAddress.Parse("10.77.0.254"), IPAddress.Parse("10.77.1.1"), 80, ServiceProtocol.Tcp);

        Assert.Equal(["10.77.0.254", "10.77.0.255", "10.77.1.0", "10.77.1.1"], keys.Select(k => k.Address!.ToString()));
    }

    [Fact]
    public void Range_Ipv6_Expands()
    {
        var keys = ServiceKeys.Range(IPAddress.Parse("fd77::a"), IPAddress.Parse("fd77::c"), 443, ServiceProtocol.Tcp);

        Assert.Equal(["fd77::a", "fd77::b", "fd77::c"], keys.Select(k => k.Address!.ToString()));
    }

    [Fact]
    public void Range_Backwards_Throws()
    {
        Assert.Throws<ArgumentException>(() => ServiceKeys.Range(IPAddress.Parse("10.77.0.9"), IPAddress.Parse("10.77.0.1"), 80, ServiceProtocol.Tcp));
    }

    [Fact]
    public void Equals_FwmarkIgnoresProtocol_AddressServiceDoesNot()
    {
        Assert.Equal(ServiceKey.ForFwmark(3, AddressFamily.InterNetwork, ServiceProtocol.Tcp), ServiceKey.ForFwmark(3, AddressFamily.InterNetwork, ServiceProtocol.Udp));
        Assert.NotEqual(ServiceKey.ForFwmark(3, AddressFamily.InterNetwork), ServiceKey.ForFwmark(3, AddressFamily.InterNetworkV6));
        var ip = IPAddress.Parse("10.77.0.1");
        Assert.NotEqual(ServiceKey.ForAddress(ip, 53, ServiceProtocol.Tcp), ServiceKey.ForAddress(ip, 53, ServiceProtocol.Udp));
    }

    [Fact]
    public void ForAddress_MappedIpv4_NormalisedToIpv4()
    {
        var key = ServiceKey.ForAddress(IPAddress.Parse("::ffff:10.77.0.1"), 80, ServiceProtocol.Tcp);
        Assert.Equal(AddressFamily.InterNetwork, key.Family);
        Assert.Equal("[10.77.0.1]:TCP:80", key.ToString());
    }
}
