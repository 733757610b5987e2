using System.Net;
using System.Net.Sockets;
using Vigil.Balancing;
using Vigil.Balancing.Model;
using Vigil.Linux.Ipvs;

namespace Vigil.Tests.Balancing;

public class IpvsBackendTests
{
    private static readonly ServiceKey Web = ServiceKey.ForAddress(IPAddress.Parse("10.77.0.100"), 80, ServiceProtocol.Tcp);

    [Fact]
    public void ToService_PersistenceWithGranularity24_PersistentFlagAndNetworkOrderMask()
    {
        var svc = IpvsBackend.ToService(Web, ServiceSpec.Create("wlc", ["sh-port"], TimeSpan.FromSeconds(50), 24));

        Assert.Equal(IpvsServiceFlags.Persistent | IpvsServiceFlags.Sched2, svc.Flags);
        Assert.Equal(50u, svc.Timeout);
        Assert.Equal(0x00FFFFFFu, svc.Netmask);
    }

    [Fact]
    public void ToService_Ipv6FwmarkGranularity64_PrefixLengthAsNetmask()
    {
        var key = ServiceKey.ForFwmark(4, AddressFamily.InterNetworkV6);

        var svc = IpvsBackend.ToService(key, ServiceSpec.Create("rr", persistenceTimeout: TimeSpan.FromSeconds(300), persistenceGranularity: 64));

        Assert.Equal(64u, svc.Netmask);
        Assert.Equal(4u, svc.Fwmark);
        Assert.Null(svc.Address);
    }

    [Fact]
    public void Canonical_GenericFlagOnSh_NamedAsKernelReadsBackAndHashedDropped()
    {
        var spec = IpvsBackend.Canonical(ServiceSpec.Create("sh", ["flag-2", "hashed"]));

        Assert.Equal(["sh-port"], spec.Flags);
        Assert.Equal(spec, IpvsBackend.Canonical(spec));
    }

    [Fact]
    public void ToDestination_TunnelGue_TypePortAndChecksum()
    {
        var dest = IpvsBackend.ToDestination(new DestinationKey(IPAddress.Parse("10.77.0.11"), 80),
            new DestinationSpec(ForwardingMethod.Tunnel, 2, 100, 10, new TunnelSpec("gue", 6080, "remcsum")));

        Assert.Equal(IpvsForwarding.Tunnel, dest.Forwarding);
        Assert.Equal(new IpvsTunnel(IpvsTunnelType.Gue, 6080, 2), dest.Tunnel);
        Assert.Equal((100u, 10u), (dest.UpperThreshold, dest.LowerThreshold));
    }

    [Theory]
    [InlineData("auto", "Auto")]
    [InlineData(null, "Auto")]
    [InlineData("IPVS", "Ipvs")]
    [InlineData("nftables", "Nftables")]
    public void TryParse_KnownNames_Choice(string? text, string expected)
    {
        Assert.True(DataPlaneSelector.TryParse(text, out var choice));
        Assert.Equal(expected, choice.ToString());
    }

    [Fact]
    public void TryParse_Unknown_False()
    {
        Assert.False(DataPlaneSelector.TryParse("ebpf", out _));
    }
}
