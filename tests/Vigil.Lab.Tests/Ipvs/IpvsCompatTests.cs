using Vigil.Testing.Uml;

namespace Vigil.Lab.Tests.Ipvs;

/// <summary>
/// vigil and keepalived 2.2.7 on the same file, one after the other in one UML boot, leave the same IPVS
/// table (<c>ipvsadm -Sn</c>, sorted) and the same timeouts (<c>ipvsadm -L --timeout</c>), while running and
/// after stop. The file covers every scheduler of the 6.1 kernel with the sh/mh flags, NAT/DR/TUN with
/// ipip/gue/gre, weights and thresholds, persistence timeout and granularity, TCP/UDP/SCTP, fwmark (IPv4
/// and IPv6), IPv6, a virtual_server_group with a range and a fwmark, lvs_timeouts, and TCP_CHECKs that
/// pass, fail, and fail with inhibit_on_failure.
/// </summary>
public sealed class IpvsCompatTests
{
    // Destinations once everything settled: 19 + 4 fwmark + 3 IPv6 + 4 group G1 + 3 group G2 + flag-1 + sip
    // + 2 checked (the failing 8081 removed) + the sorry server (its only real server fails).
    private const int Destinations = 38;

    internal static string Service(string head, string scheduler, string? kind = null, string? protocol = "TCP", string? extra = null, params string[] realServers)
    {
        var b = new System.Text.StringBuilder();
        b.Append("virtual_server ").Append(head).Append(" {\n");
        b.Append("    lb_algo ").Append(scheduler).Append('\n');
        if (kind is not null) b.Append("    lb_kind ").Append(kind).Append('\n');
        if (!head.StartsWith("fwmark", StringComparison.Ordinal)) b.Append("    protocol ").Append(protocol).Append('\n');
        if (extra is not null) b.Append(extra);
        foreach (var rs in realServers) b.Append("    real_server ").Append(rs).Append('\n');
        b.Append("}\n");
        return b.ToString();
    }

    private static string Rs(string address, string weight = "1", string? body = null) => $"{address} {{\n        weight {weight}\n{body}    }}";

    private const string Check = "        TCP_CHECK {\n            connect_timeout 1\n            retry 1\n            delay_before_retry 1\n        }\n";

    internal static readonly string Config = string.Concat(
        """
        global_defs {
            router_id uml
            lvs_timeouts tcp 900 tcpfin 60 udp 120
        }
        virtual_server_group G1 {
            10.77.0.50-52 8080
            fwmark 77
        }
        virtual_server_group G2 {
            fd77::60-62 80
        }

        """,
        Service("10.77.0.1 80", "rr", "NAT", "TCP", null, Rs("10.77.0.2 80", "3"), Rs("10.77.0.3 8080", "1", "        uthreshold 100\n        lthreshold 10\n")),
        Service("10.77.0.1 81", "wrr", "DR", "UDP", "    persistence_timeout 300\n    persistence_granularity 255.255.255.0\n", Rs("10.77.0.2 81", "2")),
        Service("10.77.0.1 82", "lc", "TUN", "SCTP", null, Rs("10.77.0.2 82")),
        Service("10.77.0.1 83", "wlc", "TUN type gue port 6080 csum", "TCP", null, Rs("10.77.0.2 83")),
        Service("10.77.0.1 84", "lblc", "TUN type gre", "TCP", null, Rs("10.77.0.2 84")),
        Service("10.77.0.1 85", "lblcr", null, "TCP", null, Rs("10.77.0.2 85")),
        Service("10.77.0.1 86", "dh", "NAT", "TCP", null, Rs("10.77.0.2 86")),
        Service("10.77.0.1 87", "sh", "NAT", "TCP", "    sh-port\n    sh-fallback\n", Rs("10.77.0.2 87")),
        Service("10.77.0.1 88", "sed", "NAT", "TCP", null, Rs("10.77.0.2 88")),
        Service("10.77.0.1 89", "nq", "NAT", "TCP", null, Rs("10.77.0.2 89")),
        Service("10.77.0.1 90", "fo", "NAT", "TCP", null, Rs("10.77.0.2 90", "5"), Rs("10.77.0.3 90", "7")),
        Service("10.77.0.1 91", "ovf", "NAT", "TCP", null, Rs("10.77.0.2 91")),
        Service("10.77.0.1 92", "mh", "NAT", "TCP", "    mh-port\n    mh-fallback\n", Rs("10.77.0.2 92")),
        Service("10.77.0.1 93", "rr", "NAT", "UDP", "    ops\n", Rs("10.77.0.2 93")),
        Service("10.77.0.1 94", "rr", "NAT", "TCP", "    persistence_timeout 60\n", Rs("10.77.0.2 94", "0")),
        Service("10.77.0.1 95", "sh", "NAT", "TCP", "    sh-port\n", Rs("10.77.0.2 95")),
        Service("10.77.0.1 96", "mh", "NAT", "TCP", "    mh-fallback\n", Rs("10.77.0.2 96")),
        Service("fwmark 7", "sh", "DR", null, null, Rs("10.77.0.4 80", "2")),
        Service("fwmark 9", "wrr", "NAT", null, null, Rs("10.77.0.4 80", "2"), Rs("10.77.0.5 80", "4")),
        Service("fwmark 8", "rr", "DR", null, "    ip_family inet6\n", Rs("fd77::4 0", "2")),
        Service("fd77::1 80", "wrr", "NAT", "TCP", "    persistence_timeout 100\n", Rs("fd77::2 80", "5"), Rs("fd77::3 80")),
        Service("fd77::1 53", "rr", "DR", "UDP", null, Rs("fd77::2 53")),
        Service("group G1", "rr", "DR", "TCP", null, Rs("10.77.0.6 8080")),
        Service("group G2", "wrr", "DR", "TCP", null, Rs("fd77::6 80", "3")),
        Service("10.77.0.1 97", "rr", "NAT", "TCP", "    flag-1\n", Rs("10.77.0.2 97")),
        Service("10.77.0.1 5060", "rr", "NAT", "UDP", "    persistence_timeout 30\n    persistence_engine sip\n", Rs("10.77.0.2 5060")),
        Service("10.77.0.1 98", "rr", "NAT", "TCP", "    delay_loop 1\n    sorry_server 10.77.0.9 98\n", Rs("10.77.0.10 8083", "1", Check)),
        Service("10.77.0.1 8080", "rr", "NAT", "TCP", "    delay_loop 1\n",
            Rs("10.77.0.10 8080", "1", Check), Rs("10.77.0.10 8081", "1", Check), Rs("10.77.0.10 8082", "2", "        inhibit_on_failure\n" + Check)));

    /// <summary>Runs one daemon (job <paramref name="name"/>): foreign service first, wait for the settled table, save, stop, save.</summary>
    private static string Round(string name, string start) =>
        start
        + UmlScript.WaitIpvs("10.77.0.10:8082 -m -w 0$", UmlLab.Settle)
        + UmlScript.WaitIpvsGone("10.77.0.10:8081", UmlLab.Settle)
        + UmlScript.WaitIpvs("10.77.0.10:8080 -m -w 1$", UmlLab.Settle)
        + UmlScript.WaitIpvs("10.77.0.1:98 -r 10.77.0.9:98 ", UmlLab.Settle)
        + UmlScript.WaitIpvsGone("10.77.0.10:8083", UmlLab.Settle)
        + UmlLab.ForeignService
        + UmlScript.WaitIpvsCount("^-a", Destinations + 1, UmlLab.Settle)
        + UmlScript.Save($"{name}-running.txt", "ipvsadm", "-Sn")
        + UmlScript.Save($"{name}-timeout.txt", "ipvsadm", "-L", "--timeout")
        + UmlScript.Stop(name)
        + UmlScript.Save($"{name}-stopped.txt", "ipvsadm", "-Sn")
        + UmlScript.Save($"{name}-timeout-stopped.txt", "ipvsadm", "-L", "--timeout")
        + "ipvsadm -C\n";

    [Fact]
    public async Task SameConfig_VigilAndKeepalived_SameIpvsTableTimeoutsAndStop()
    {
        // ip_vs is not loaded by the prologue: vigil, first, gets it loaded as keepalived does with modprobe
        // (the kernel loads the module when vigil asks generic netlink for the IPVS family).
        var body = UmlScript.Save("modules-before.txt", "sh", "-c", "lsmod | grep -c '^ip_vs ' || true")
            + UmlScript.Background("web", "/usr/bin/python3", "-m", "http.server", "8080", "--bind", "10.77.0.10")
            + UmlScript.Wait("bash -c 'echo > /dev/tcp/10.77.0.10/8080' 2>/dev/null", UmlLab.Settle)
            // Nothing runs ipvsadm (which loads ip_vs too) before the module is there.
            + Round("vigil", UmlLab.StartVigil("vigil", "vs.conf") + UmlScript.Wait("test -e /proc/net/ip_vs", UmlLab.Settle))
            + Round("keepalived", UmlLab.StartKeepalived("keepalived", "vs.conf"))
            + UmlScript.Stop("web");

        var uml = await UmlLab.BootAsync(body, new Dictionary<string, string> { ["vs.conf"] = Config }, loadIpvs: false);
        Assert.Equal("0", uml.File("modules-before.txt").Trim());

        var keepalived = uml.SortedLines("keepalived-running.txt");
        var vigil = uml.SortedLines("vigil-running.txt");
        Assert.True(keepalived.SequenceEqual(vigil), "ipvsadm -Sn differs\n" + Diff(keepalived, vigil) + uml.Tail());
        // The table is what the file says, not merely the same mistake twice.
        Assert.Contains("-A -t 10.77.0.1:87 -s sh -b sh-fallback,sh-port", vigil);
        Assert.Contains("-a -t 10.77.0.1:83 -r 10.77.0.2:83 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum", vigil);
        Assert.Contains("-A -u 10.77.0.1:81 -s wrr -p 300 -M 255.255.255.0", vigil);
        Assert.Contains("-a -f 7 -r 10.77.0.4:0 -g -w 2", vigil);
        Assert.Contains("-a -f 9 -r 10.77.0.4:80 -m -w 2", vigil);
        Assert.Contains("-A -f 8 -6 -s rr", vigil);
        Assert.Contains("-a -t 10.77.0.1:8080 -r 10.77.0.10:8082 -m -w 0", vigil);
        Assert.DoesNotContain(vigil, l => l.Contains("10.77.0.10:8081", StringComparison.Ordinal));
        Assert.Equal(3, vigil.Count(l => l.StartsWith("-A -t 10.77.0.5", StringComparison.Ordinal)));
        Assert.Equal(3, vigil.Count(l => l.StartsWith("-a -t [fd77::6", StringComparison.Ordinal) && l.EndsWith("-r [fd77::6]:80 -g -w 3", StringComparison.Ordinal)));
        Assert.Contains("-A -t 10.77.0.1:97 -s rr -b flag-1", vigil);
        Assert.Contains("-A -u 10.77.0.1:5060 -s rr -p 30 --pe sip", vigil);
        Assert.Contains("-a -t 10.77.0.1:98 -r 10.77.0.9:98 -m -w 1", vigil);

        Assert.Equal(uml.File("keepalived-timeout.txt"), uml.File("vigil-timeout.txt"));
        Assert.Contains("900 60 120", uml.File("vigil-timeout.txt"), StringComparison.Ordinal);
        // Stop: the table holds only the service neither created, and the kernel's timeouts are back.
        Assert.Equal(UmlLab.ForeignLines, uml.SortedLines("keepalived-stopped.txt"));
        Assert.Equal(UmlLab.ForeignLines, uml.SortedLines("vigil-stopped.txt"));
        // The kernel's defaults (ipvsadm(8): 900 120 300), as the first daemon found them.
        Assert.Contains("900 120 300", uml.File("vigil-timeout-stopped.txt"), StringComparison.Ordinal);
        Assert.Equal(uml.File("vigil-timeout-stopped.txt"), uml.File("keepalived-timeout-stopped.txt"));
    }

    internal static string Diff(IReadOnlyList<string> keepalived, IReadOnlyList<string> vigil) =>
        string.Concat(keepalived.Except(vigil).Select(l => $"  keepalived only: {l}\n"))
        + string.Concat(vigil.Except(keepalived).Select(l => $"  vigil only:      {l}\n"));
}
