using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Config;
using Vigil.Linux.Netlink.Route;
using Vigil.Vrrp;

namespace Vigil.Tests.Vrrp;

public sealed class StaticNetworkTests
{
    private const string Full = """
        static_ipaddress {
            10.77.1.1/24 dev eth0
            10.77.2.5 dev lo scope host
            fd77:9::5/128
        }
        static_routes {
            10.77.50.0/24 via 10.77.0.254 dev eth0
            blackhole 10.77.51.0/24
        }
        static_rules {
            from 10.77.60.0/24 table 100 priority 1000
        }
        """;

    private static KeepalivedConfig Load(string text)
    {
        var result = ConfigLoader.LoadText(text);
        return result.Config ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Apply_AddressesThenRoutesThenRules_InKernelForm()
    {
        var kernel = new NetworkKernelFake();
        var statics = new StaticNetwork(kernel, IpNames.BuiltIn, NullLogger.Instance);

        statics.Apply(Load(Full));

        Assert.Equal([
            "add addr 10.77.1.1/24 if 2", "add addr 10.77.2.5/32 if 1", "add addr fd77:9::5/128 if 2",
            "add route Unicast 10.77.50.0/24", "add route Blackhole 10.77.51.0/24", "add rule pref 1000"], kernel.Calls);
        var lo = Assert.Single(statics.Addresses, a => a.InterfaceIndex == 1);
        Assert.Equal(AddressScope.Host, lo.Scope);
        var v6 = Assert.Single(statics.Addresses, a => a.Address.Equals(IPAddress.Parse("fd77:9::5")));
        // keepalived compat: IPv6 nodad, and a /128 deprecated unless preferred_lft is given.
        Assert.Equal((AddressFlags.NoDad, (TimeSpan?)TimeSpan.Zero), (v6.Flags, v6.PreferredLifetime));
        Assert.Equal(0, statics.Errors);
    }

    [Fact]
    public void Remove_AfterApply_RulesRoutesThenAddressesAllGone()
    {
        var kernel = new NetworkKernelFake();
        var statics = new StaticNetwork(kernel, IpNames.BuiltIn, NullLogger.Instance);
        statics.Apply(Load(Full));
        kernel.Calls.Clear();

        statics.Remove();
        statics.Remove();

        Assert.Equal([
            "del rule pref 1000", "del route Unicast 10.77.50.0/24", "del route Blackhole 10.77.51.0/24",
            "del addr 10.77.1.1/24 if 2", "del addr 10.77.2.5/32 if 1", "del addr fd77:9::5/128 if 2"], kernel.Calls);
        Assert.Empty(kernel.Addresses);
        Assert.Empty(kernel.Routes);
        Assert.Empty(kernel.Rules);
    }

    [Fact]
    public void Apply_Reload_KeepsCommonLinesRemovesDroppedAddsNew()
    {
        var kernel = new NetworkKernelFake();
        var statics = new StaticNetwork(kernel, IpNames.BuiltIn, NullLogger.Instance);
        statics.Apply(Load(Full));
        kernel.Calls.Clear();

        statics.Apply(Load("""
            static_ipaddress {
                10.77.1.1/24 dev eth0
                10.77.3.3/24 dev eth0
            }
            static_routes {
                10.77.50.0/24 via 10.77.0.254 dev eth0
            }
            """));

        Assert.DoesNotContain("del addr 10.77.1.1/24 if 2", kernel.Calls);
        Assert.DoesNotContain("del route Unicast 10.77.50.0/24", kernel.Calls);
        Assert.Contains("del addr 10.77.2.5/32 if 1", kernel.Calls);
        Assert.Contains("del route Blackhole 10.77.51.0/24", kernel.Calls);
        Assert.Contains("del rule pref 1000", kernel.Calls);
        Assert.Equal(["10.77.1.1", "10.77.3.3"], kernel.Addresses.Select(a => a.Address.ToString()).Order());
        Assert.Equal(IPAddress.Parse("10.77.50.0"), Assert.Single(kernel.Routes).Destination);
        Assert.Empty(kernel.Rules);
    }

    [Fact]
    public void Apply_SameConfigAgain_NoKernelCalls()
    {
        var kernel = new NetworkKernelFake();
        var statics = new StaticNetwork(kernel, IpNames.BuiltIn, NullLogger.Instance);
        statics.Apply(Load(Full));
        kernel.Calls.Clear();

        statics.Apply(Load(Full));

        Assert.Empty(kernel.Calls);
    }

    [Fact]
    public void Apply_MissingDevice_OthersAppliedErrorCounted()
    {
        var kernel = new NetworkKernelFake();
        var statics = new StaticNetwork(kernel, IpNames.BuiltIn, NullLogger.Instance);

        statics.Apply(Load("""
            global_defs {
                default_interface eth3
            }
            static_ipaddress {
                10.77.1.1/24
                10.77.1.2/24 dev eth0
            }
            """));

        Assert.Equal(1, statics.Errors);
        Assert.Equal(IPAddress.Parse("10.77.1.2"), Assert.Single(kernel.Addresses).Address);
    }
}
