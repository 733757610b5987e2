using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Linux.Tests.Kernel;

public class NetworkNamespaceKernelTests
{
    [Fact]
    public void Open_MissingNamespace_ThrowsKernelException()
    {
        LabPair.RequireRoot();
        Assert.Throws<KernelException>(() => NetworkNamespace.Open($"vl-{Environment.ProcessId}-missing"));
    }

    [Fact]
    public void Open_PathSeparatorInName_Throws()
    {
        Assert.Throws<ArgumentException>(() => NetworkNamespace.Open("../etc"));
    }

    [Fact]
    public void Invoke_SocketOpenedInside_KeepsNamespaceWhenUsedOutside()
    {
        using var lab = LabPair.Create(addresses: false);
        RouteNetlink rtnl;
        using (var ns = NetworkNamespace.Open(lab.B))
        {
            rtnl = RouteNetlink.Open(ns);
        }

        using (rtnl)
        {
            // Used from the test thread after the namespace thread is gone: still sees vb, not va.
            Assert.True(rtnl.InterfaceExists("vb"));
            Assert.False(rtnl.InterfaceExists("va"));
        }
    }

    [Fact]
    public void Invoke_AfterDispose_ThrowsObjectDisposed()
    {
        using var lab = LabPair.Create(addresses: false);
        var ns = NetworkNamespace.Open(lab.A);
        ns.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ns.Invoke(() => 1));
    }

    [Fact]
    public void Invoke_ExceptionInside_PropagatesToCaller()
    {
        using var lab = LabPair.Create(addresses: false);
        using var ns = NetworkNamespace.Open(lab.A);

        Assert.Throws<InvalidOperationException>(() => ns.Invoke<int>(() => throw new InvalidOperationException("inside")));
        Assert.Equal(42, ns.Invoke(() => 42));
    }
}
