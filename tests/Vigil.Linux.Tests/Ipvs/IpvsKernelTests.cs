using Vigil.Linux.Ipvs;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Tests.Kernel;

namespace Vigil.Linux.Tests.Ipvs;

public class IpvsKernelTests
{
    [Fact]
    public void TryOpen_KernelWithoutIpvs_NullElseListsNoServicesInFreshNamespace()
    {
        using var lab = LabPair.Create(addresses: false);
        using var ns = NetworkNamespace.Open(lab.A);

        using var client = IpvsClient.TryOpen(ns);

        var hasModule = File.Exists("/proc/net/ip_vs");
        if (client is null)
        {
            Assert.False(hasModule, "the kernel has IPVS but the family was not found");
            return;
        }
        Assert.Empty(client.ListServices());
    }
}
