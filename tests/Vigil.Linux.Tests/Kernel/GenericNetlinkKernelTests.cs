using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Generic;

namespace Vigil.Linux.Tests.Kernel;

public class GenericNetlinkKernelTests
{
    [Fact]
    public void GetFamily_Nlctrl_HasTheFixedControllerId()
    {
        using var lab = LabPair.Create(addresses: false);
        using var ns = NetworkNamespace.Open(lab.A);
        using var genl = GenericNetlink.Open(ns);

        var family = genl.GetFamily("nlctrl");

        Assert.NotNull(family);
        Assert.Equal(0x10, family.Id);
        Assert.Contains("notify", family.MulticastGroups.Keys);
    }

    [Fact]
    public void GetFamily_UnknownName_ReturnsNull()
    {
        LabPair.RequireRoot();
        using var genl = GenericNetlink.Open();

        Assert.Null(genl.GetFamily($"vl-none-{Environment.ProcessId}"));
    }
}
