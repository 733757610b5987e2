using System.Globalization;
using Vigil.Testing.Uml;

namespace Vigil.Lab.Tests.Ipvs;

/// <summary>
/// vigil on a real IPVS kernel (UML) through its life: start, reload (SIGHUP) with added, removed and
/// changed services and destinations, stop, and stop with -I; plus lvs_flush and lvs_flush_on_stop against
/// keepalived.
/// </summary>
public sealed class IpvsLifecycleTests
{
    private static string Rs(string address, int weight) =>
        string.Create(CultureInfo.InvariantCulture, $"    real_server {address} {{\n        weight {weight}\n    }}\n");

    private static string Vs(string address, int port, string scheduler, params string[] realServers) =>
        string.Create(CultureInfo.InvariantCulture, $"virtual_server {address} {port} {{\n    lb_algo {scheduler}\n    lb_kind NAT\n    protocol TCP\n")
        + string.Concat(realServers) + "}\n";

    private const string Globals = "global_defs {\n    router_id uml\n}\n";

    // A is the same in both files; B changes scheduler, a weight, loses .3 and gains .4; C goes; D comes.
    private static readonly string Before = Globals
        + Vs("10.77.0.1", 80, "rr", Rs("10.77.0.2 80", 1), Rs("10.77.0.3 80", 1))
        + Vs("10.77.0.1", 81, "wrr", Rs("10.77.0.2 81", 1), Rs("10.77.0.3 81", 2))
        + Vs("10.77.0.1", 82, "rr", Rs("10.77.0.2 82", 1));

    private static readonly string After = Globals
        + Vs("10.77.0.1", 80, "rr", Rs("10.77.0.2 80", 1), Rs("10.77.0.3 80", 1))
        + Vs("10.77.0.1", 81, "wlc", Rs("10.77.0.2 81", 5), Rs("10.77.0.4 81", 1))
        + Vs("10.77.0.1", 83, "rr", Rs("10.77.0.2 83", 1));

    private static readonly string[] AfterLines =
    [
        "-A -t 10.77.0.1:80 -s rr",
        "-A -t 10.77.0.1:81 -s wlc",
        "-A -t 10.77.0.1:83 -s rr",
        "-a -t 10.77.0.1:80 -r 10.77.0.2:80 -m -w 1",
        "-a -t 10.77.0.1:80 -r 10.77.0.3:80 -m -w 1",
        "-a -t 10.77.0.1:81 -r 10.77.0.2:81 -m -w 5",
        "-a -t 10.77.0.1:81 -r 10.77.0.4:81 -m -w 1",
        "-a -t 10.77.0.1:83 -r 10.77.0.2:83 -m -w 1",
    ];

    [Fact]
    public async Task ReloadStopAndKeep_ChangedFile_DiffAppliedUnchangedServiceKeptStopRemovesOnlyOwn()
    {
        var body = UmlLab.ForeignService
            + UmlLab.StartVigil("vigil", "vs.conf")
            + UmlScript.WaitIpvsCount("^-a", 5 + 1, UmlLab.Settle)
            // One connection through service A (a local client; the SYN goes nowhere), so A has a counter to lose.
            + "timeout 2 bash -c 'echo > /dev/tcp/10.77.0.1/80' 2>/dev/null\n"
            + UmlScript.Save("stats-before.txt", "ipvsadm", "-Ln", "--stats", "--exact")
            + "cp /tmp/out/after.conf /tmp/out/vs.conf\n"
            + "uml_signal vigil HUP\n"
            + UmlScript.WaitIpvs("^-A -t 10.77.0.1:83 ", UmlLab.Settle)
            + UmlScript.WaitIpvsGone("10.77.0.1:82", UmlLab.Settle)
            + UmlScript.WaitIpvs("-r 10.77.0.4:81 ", UmlLab.Settle)
            + UmlScript.WaitIpvsGone("-r 10.77.0.3:81 ", UmlLab.Settle)
            + UmlScript.Save("reloaded.txt", "ipvsadm", "-Sn")
            + UmlScript.Save("stats-after.txt", "ipvsadm", "-Ln", "--stats", "--exact")
            + UmlScript.Stop("vigil")
            + UmlScript.Save("stopped.txt", "ipvsadm", "-Sn")
            + UmlLab.StartVigil("kept", "vs.conf", "-I")
            + UmlScript.WaitIpvsCount("^-a", 5 + 1, UmlLab.Settle)
            + UmlScript.Stop("kept")
            + UmlScript.Save("kept.txt", "ipvsadm", "-Sn");

        var uml = await UmlLab.BootAsync(body, new Dictionary<string, string> { ["vs.conf"] = Before, ["after.conf"] = After });

        Assert.Equal(Sorted([.. AfterLines, .. UmlLab.ForeignLines]), uml.SortedLines("reloaded.txt"));
        // A was neither deleted nor re-added: its connection counter survived the reload.
        var before = Connections(uml.File("stats-before.txt"), "10.77.0.1:80");
        Assert.True(before >= 1, "the probe connection did not reach service A\n" + uml.File("stats-before.txt"));
        Assert.Equal(before, Connections(uml.File("stats-after.txt"), "10.77.0.1:80"));
        Assert.Equal(UmlLab.ForeignLines, uml.SortedLines("stopped.txt"));
        Assert.Equal(Sorted([.. AfterLines, .. UmlLab.ForeignLines]), uml.SortedLines("kept.txt"));
        Assert.Contains("kept exit 0", uml.File("uml.log"), StringComparison.Ordinal);
        Assert.Contains("vigil exit 0", uml.File("uml.log"), StringComparison.Ordinal);
    }

    private static string[] Sorted(string[] lines) => [.. lines.Order(StringComparer.Ordinal)];

    /// <summary>The Conns column of a service line of <c>ipvsadm -Ln --stats --exact</c>.</summary>
    private static long Connections(string stats, string service)
    {
        foreach (var line in stats.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 3 && f[0] is "TCP" or "UDP" && f[1] == service) return long.Parse(f[2], CultureInfo.InvariantCulture);
        }
        throw new Xunit.Sdk.XunitException($"no service {service} in\n{stats}");
    }

    private static readonly string FlushConfig = "global_defs {\n    router_id uml\n    lvs_flush\n    lvs_flush_on_stop\n}\n"
        + Vs("10.77.0.1", 80, "rr", Rs("10.77.0.2 80", 1));

    private static string FlushRound(string name, string start) =>
        UmlLab.ForeignService
        + start
        + UmlScript.WaitIpvs("^-a -t 10.77.0.1:80 ", UmlLab.Settle)
        + UmlScript.Save($"{name}-running.txt", "ipvsadm", "-Sn")
        + "ipvsadm -A -t 10.77.0.98:80 -s rr\n"
        + UmlScript.Stop(name)
        + UmlScript.Save($"{name}-stopped.txt", "ipvsadm", "-Sn")
        + "ipvsadm -C\n";

    [Fact]
    public async Task LvsFlushAndFlushOnStop_VigilAndKeepalived_ForeignServicesGoneAtStartAndStop()
    {
        var body = FlushRound("keepalived", UmlLab.StartKeepalived("keepalived", "vs.conf"))
            + FlushRound("vigil", UmlLab.StartVigil("vigil", "vs.conf"));

        var uml = await UmlLab.BootAsync(body, new Dictionary<string, string> { ["vs.conf"] = FlushConfig });

        string[] running = ["-A -t 10.77.0.1:80 -s rr", "-a -t 10.77.0.1:80 -r 10.77.0.2:80 -m -w 1"];
        Assert.Equal(running, uml.SortedLines("keepalived-running.txt"));
        Assert.Equal(running, uml.SortedLines("vigil-running.txt"));
        Assert.Empty(uml.SortedLines("keepalived-stopped.txt"));
        Assert.Empty(uml.SortedLines("vigil-stopped.txt"));
    }
}
