using System.Text.RegularExpressions;
using Vigil.Testing;

namespace Vigil.Lab.Tests.Vrrp;

/// <summary>
/// virtual_routes/rules, static_*, use_vmac and vrrp_strict/no_accept: the same configuration runs under vigil on one
/// segment and under keepalived 2.2.7 on another (each alone, so each becomes MASTER); then a higher-priority peer joins
/// each segment (both drop to BACKUP); then both stop. At each step the kernel state of the two hosts (links, addresses,
/// routes, rules, nftables ruleset, sysctls), with host-specific addresses normalised, must be the same.
/// </summary>
public sealed partial class NetworkFeatureTests
{
    private const string Vmac4 = "vrrp.51";

    /// <summary>IPv4 with vrrp_strict (no_accept), use_vmac, virtual routes and rules, static addresses, routes and rules.</summary>
    private static string StrictVmacRoutes(string routerId, int priority) => $$"""
        global_defs {
            router_id {{routerId}}
            vrrp_strict
        }
        static_ipaddress {
            10.77.1.1/24 dev eth0
            10.77.2.5 dev lo scope host
        }
        static_routes {
            10.77.50.0/24 via 10.77.0.254 dev eth0
            blackhole 10.77.51.0/24
            10.77.52.0/24 dev eth0 table 100 metric 7
        }
        static_rules {
            from 10.77.60.0/24 table 100 priority 1000
            to 10.77.61.0/24 table 101 priority 1001
        }
        vrrp_instance VI_1 {
            state BACKUP
            interface eth0
            virtual_router_id 51
            priority {{priority}}
            advert_int 1
            use_vmac
            virtual_ipaddress {
                10.77.0.100/24
            }
            virtual_routes {
                10.77.70.0/24 via 10.77.0.254 dev eth0
                src 10.77.0.100 10.77.71.0/24 dev eth0 table 200 metric 5
                unreachable 10.77.72.0/24
                prohibit 10.77.73.0/24 table 200
            }
            virtual_rules {
                from 10.77.80.0/24 table 200 priority 2000
                to 10.77.81.0/24 iif eth0 table 200 priority 2001
                fwmark 0x10/0xff table 200 priority 2002
                from 10.77.82.0/24 oif eth0 blackhole priority 2003
            }
        }
        """;

    /// <summary>IPv6 VMAC with its own name and no_accept (v3), next to an IPv4 no_accept instance without VMAC.</summary>
    private static string Ipv6VmacNoAccept(string routerId, int priority) => $$"""
        global_defs {
            router_id {{routerId}}
        }
        vrrp_instance VI_6 {
            state BACKUP
            interface eth0
            virtual_router_id 52
            priority {{priority}}
            version 3
            advert_int 1
            use_vmac vrrp6.52
            no_accept
            virtual_ipaddress {
                fd77::100/64
                fd77::101
            }
            virtual_routes {
                fd77:2::/64 dev eth0 table 300 metric 50
            }
            virtual_rules {
                from fd77:3::/64 table 300 priority 3000
            }
        }
        vrrp_instance VI_4 {
            state BACKUP
            interface eth0
            virtual_router_id 53
            priority {{priority}}
            advert_int 1
            no_accept
            virtual_ipaddress {
                10.77.0.110/24
            }
        }
        """;

    [Fact]
    public async Task StrictVmacRoutesRulesStatics_MasterBackupStop_KernelStateAsKeepalived()
    {
        await RunAsync(StrictVmacRoutes, masterCheck: (Testing.Lab.Vip4, Vmac4), interfaces: ["eth0", Vmac4]);
    }

    [Fact]
    public async Task Ipv6VmacNoAccept_MasterBackupStop_KernelStateAsKeepalived()
    {
        await RunAsync(Ipv6VmacNoAccept, masterCheck: (Testing.Lab.Vip6, "vrrp6.52"), interfaces: ["eth0", "vrrp6.52"]);
    }

    private static async Task RunAsync(Func<string, int, string> config, (string Address, string Device) masterCheck, string[] interfaces)
    {
        await using var lab = await LabFactory.CreateAsync();
        var segmentK = await lab.AddSegmentAsync("kseg");
        var v = await lab.AddHostAsync("v");
        var vPeer = await lab.AddHostAsync("vpeer");
        var k = await lab.AddHostAsync("k", segmentK);
        var kPeer = await lab.AddHostAsync("kpeer", segmentK);
        // Hosts on a second segment get no addresses from the lab: give them the ones they would have on the LAN.
        await k.AddAddressAsync("10.77.0.3/24");
        await k.AddAddressAsync("fd77::3/64");
        await kPeer.AddAddressAsync("10.77.0.4/24");
        await kPeer.AddAddressAsync("fd77::4/64");
        var hostAddresses = new Dictionary<LabHost, (string V4, string V6)> { [v] = (v.Ipv4!.ToString(), v.Ipv6!.ToString()), [k] = ("10.77.0.3", "fd77::3") };
        foreach (var host in new[] { v, k })
        {
            // keepalived compat under test: all.rp_filter is cleared while an IPv4 VMAC exists, and put back on stop.
            await host.SysctlAsync("net.ipv4.conf.all.rp_filter", "1");
            await host.SysctlAsync("net.ipv4.conf.default.rp_filter", "1");
        }
        var advert = TimeSpan.FromSeconds(1);
        var election = LabVrrp.MasterDownInterval(100, advert) + TimeSpan.FromSeconds(6);

        var vigil = lab.StartVigil(v, config("v", 100));
        var keepalived = lab.StartKeepalived(k, config("k", 100));
        foreach (var host in new[] { v, k })
        {
            // The VMAC appears once the daemon has read its configuration.
            await Poll.UntilAsync(async () => (await host.ExecAsync("ip", ["link", "show", "dev", masterCheck.Device], check: false).ConfigureAwait(false)).Succeeded,
                TimeSpan.FromSeconds(10), $"{masterCheck.Device} on {host.Name}", interval: TimeSpan.FromMilliseconds(100));
        }
        await v.WaitForAddressAsync(masterCheck.Address, election, masterCheck.Device);
        await k.WaitForAddressAsync(masterCheck.Address, election, masterCheck.Device);
        await ExpectSameAsync(v, k, hostAddresses, interfaces, "both MASTER");

        // A peer of priority 200 on each segment: both drop to BACKUP (routes, rules, VIPs and drop rules go).
        var peers = new[] { lab.StartKeepalived(vPeer, config("vpeer", 200)), lab.StartKeepalived(kPeer, config("kpeer", 200)) };
        await v.WaitForAddressAbsentAsync(masterCheck.Address, election, masterCheck.Device);
        await k.WaitForAddressAbsentAsync(masterCheck.Address, election, masterCheck.Device);
        await ExpectSameAsync(v, k, hostAddresses, interfaces, "both BACKUP");

        Assert.True(await vigil.StopAsync(), "vigil should exit on SIGTERM");
        Assert.True(await keepalived.StopAsync(), "keepalived should exit on SIGTERM");
        await ExpectSameAsync(v, k, hostAddresses, interfaces, "both stopped");
        foreach (var peer in peers)
        {
            await peer.StopAsync();
        }
    }

    /// <summary>Polls until the two hosts' normalised kernel states are equal (bounded), then asserts it, showing the difference.</summary>
    private static async Task ExpectSameAsync(LabHost v, LabHost k, Dictionary<LabHost, (string V4, string V6)> addresses, string[] interfaces, string step)
    {
        string vs = "", ks = "";
        try
        {
            await Poll.UntilAsync(async () =>
            {
                vs = await SnapshotAsync(v, addresses[v], interfaces);
                ks = await SnapshotAsync(k, addresses[k], interfaces);
                return vs == ks;
            }, TimeSpan.FromSeconds(10), $"same kernel state as keepalived ({step})", interval: TimeSpan.FromMilliseconds(250));
        }
        catch (LabTimeoutException)
        {
            // Fall through to the assert, which prints both states.
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"--- {step}: vigil\n{vs}\n--- {step}: keepalived\n{ks}");
        Assert.Equal(ks, vs);
    }

    /// <summary>What the host's kernel shows, with its own addresses and interface indexes replaced by placeholders.</summary>
    private static async Task<string> SnapshotAsync(LabHost host, (string V4, string V6) own, string[] interfaces)
    {
        var sysctls = string.Join(' ', interfaces.Concat(["all", "default"]).Select(i =>
            $"for f in arp_ignore arp_filter accept_local rp_filter promote_secondaries; do printf '{i}.%s=%s ' $f $(cat /proc/sys/net/ipv4/conf/{i}/$f 2>/dev/null || echo -); done; " +
            $"for f in disable_ipv6 addr_gen_mode; do printf '{i}.v6.%s=%s ' $f $(cat /proc/sys/net/ipv6/conf/{i}/$f 2>/dev/null || echo -); done; echo;"));
        var script = string.Join("\n",
            "echo '# links'; ip -d link show type macvlan | grep -v '^ *\\(altname\\)'",
            "echo '# addresses'; ip -o addr show | grep -v ' lo .*127.0.0.1\\| lo .*::1/128' | awk '{$1=\"\"; print}' | sed 's/valid_lft.*//'",
            "echo '# routes'; ip route show table all | grep -v '^local\\|^broadcast\\|^multicast\\|^fe80\\|^ff00\\|table local'",
            "echo '# rules'; ip rule; ip -6 rule",
            "echo '# nft'; nft list ruleset",
            "echo '# sysctl'; " + sysctls);
        var result = await host.ExecAsync("bash", ["-c", script], check: false);
        var text = result.Stdout;
        var linkLocal = await host.GetLinkLocalAsync();
        text = text.Replace(own.V4 + "/", "HOST4/", StringComparison.Ordinal).Replace(own.V4 + " ", "HOST4 ", StringComparison.Ordinal)
            .Replace(own.V6 + "/", "HOST6/", StringComparison.Ordinal);
        if (linkLocal is not null)
        {
            text = text.Replace(linkLocal.ToString(), "LINKLOCAL", StringComparison.Ordinal);
        }
        text = IfIndex().Replace(text, "N: ");
        text = PeerIndex().Replace(text, "@ifN");
        text = NetnsName().Replace(text, "link-netns NS");
        return text;
    }

    [GeneratedRegex(@"(?m)^\d+: ")]
    private static partial Regex IfIndex();

    [GeneratedRegex(@"@if\d+")]
    private static partial Regex PeerIndex();

    [GeneratedRegex(@"link-netns \S+")]
    private static partial Regex NetnsName();
}
