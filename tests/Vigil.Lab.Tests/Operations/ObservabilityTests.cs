using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Vigil.Lab.Tests.Vrrp;
using Vigil.Testing;

namespace Vigil.Lab.Tests.Operations;

/// <summary>What an operator sees of a running vigil: syslog lines, Prometheus metrics, several daemons on one host.</summary>
public sealed class ObservabilityTests
{
    private const string Vip = Testing.Lab.Vip4;

    [Fact]
    public async Task Syslog_LocalFacility_EveryLineArrivesWithLocal3PriorityTagAndPid()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var path = lab.NewPath("syslog", "sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        var lines = new List<string>();
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                int n;
                try
                {
                    n = await listener.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                lock (lines)
                {
                    lines.Add(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
        }, TestContext.Current.CancellationToken);

        var spec = new VrrpInstanceSpec { Priority = 150 };
        // -S 3: keepalived's LOG_LOCAL3. The socket is /dev/log unless VIGIL_SYSLOG_SOCKET says otherwise.
        var vigil = lab.StartVigil(a, spec.ToConfig("a"), ["-S", "3"], environment: new Dictionary<string, string> { ["VIGIL_SYSLOG_SOCKET"] = path });
        string[] Snapshot()
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
        await Poll.UntilAsync(() => Task.FromResult(Snapshot().Any(l => l.Contains("Entering MASTER STATE", StringComparison.Ordinal))),
            Bounds.Election(spec), "the MASTER transition line on the syslog socket", lab.DiagnosticsAsync);
        await stop.CancelAsync();
        await receiving;

        var received = Snapshot();
        // <PRI> = facility * 8 + severity; local3 is facility 19, so info lines are <158>, warnings <156>.
        var master = Assert.Single(received, l => l.Contains("Entering MASTER STATE", StringComparison.Ordinal));
        Assert.StartsWith(FormattableString.Invariant($"<{(19 * 8) + 6}>Keepalived[{vigil.Process.Pid}]: "), master, StringComparison.Ordinal);
        Assert.All(received, l => Assert.Matches(@"^<15[2-9]>Keepalived\[\d+\]: \S", l));
        Assert.Contains(received, l => l.Contains("Startup complete", StringComparison.Ordinal));
        // The same lines go to the console (-l): syslog is an extra sink, not a replacement.
        Assert.Contains("Entering MASTER STATE", vigil.ReadOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_StatesCountersPrioritiesAndDropReasons_AreExported()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var c = await lab.AddHostAsync("c");
        var high = new VrrpInstanceSpec { Priority = 150 };
        // Every daemon listens on 127.0.0.1:9650 of its own namespace: no clash.
        string[] metrics = ["--metrics", "127.0.0.1:9650"];
        // a also runs a track script every second, so the script counters move.
        var withScript = high.ToConfig("a").Replace("    priority 150\n", "    priority 150\n    track_script {\n        chk\n    }\n", StringComparison.Ordinal)
            + "\nvrrp_script chk {\n    script \"/bin/true\"\n    interval 1\n}\n";
        Assert.Contains("track_script", withScript, StringComparison.Ordinal);
        lab.StartVigil(a, withScript, metrics);
        lab.StartVigil(b, (high with { Priority = 100 }).ToConfig("b"), metrics);
        // c speaks for the same VRID with a password: a and b must drop its adverts and count why.
        lab.StartVigil(c, (high with { Priority = 50, AuthPass = "other" }).ToConfig("c"));
        await lab.WaitForSoleHolderAsync(Vip, a, Bounds.Election(high), a, b);

        var first = await ScrapeAsync(a);
        await Poll.UntilAsync(async () => Value(await ScrapeAsync(a), "vigil_vrrp_packets_dropped_total", "instance=\"VI_1\",reason=\"AuthTypeMismatch\"") > 0,
            Bounds.Election(high), "a to count c's adverts as AuthTypeMismatch drops", lab.DiagnosticsAsync);
        await Poll.UntilAsync(async () => Value(await ScrapeAsync(a), "vigil_vrrp_adverts_sent_total", "instance=\"VI_1\"") > Value(first, "vigil_vrrp_adverts_sent_total", "instance=\"VI_1\""),
            TimeSpan.FromSeconds(4), "a's advert counter to grow", lab.DiagnosticsAsync);

        var onA = await ScrapeAsync(a);
        var onB = await ScrapeAsync(b);
        Assert.Equal(2, Value(onA, "vigil_vrrp_state", "instance=\"VI_1\",vrid=\"51\",interface=\"eth0\""));
        Assert.Equal(1, Value(onB, "vigil_vrrp_state", "instance=\"VI_1\",vrid=\"51\",interface=\"eth0\""));
        Assert.Equal(150, Value(onA, "vigil_vrrp_priority", "instance=\"VI_1\",kind=\"effective\""));
        Assert.Equal(100, Value(onB, "vigil_vrrp_priority", "instance=\"VI_1\",kind=\"base\""));
        Assert.True(Value(onA, "vigil_vrrp_became_master_total", "instance=\"VI_1\"") >= 1);
        Assert.Equal(0, Value(onB, "vigil_vrrp_became_master_total", "instance=\"VI_1\""));
        Assert.True(Value(onB, "vigil_vrrp_adverts_received_total", "instance=\"VI_1\"") > 0);
        Assert.True(Value(onB, "vigil_vrrp_packets_dropped_total", "instance=\"VI_1\",reason=\"AuthTypeMismatch\"") > 0);
        Assert.True(Value(onA, "vigil_script_runs_total", "") >= 1, "track script runs counted");
        Assert.Equal(0, Value(onA, "vigil_script_failures_total", ""));
        Assert.Equal(0, Value(onB, "vigil_script_runs_total", ""));
        Assert.Contains("# TYPE vigil_vrrp_state gauge", onA, StringComparison.Ordinal);
        Assert.Contains("# TYPE vigil_vrrp_adverts_sent_total counter", onA, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoDaemons_InTwoNamespaces_OfOneHost_EachWithItsOwnFiles()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var spec = new VrrpInstanceSpec { Priority = 150 };
        var daemons = new List<(LabHost Host, LabProcess Process, string Socket, string Json, string Pid)>();
        foreach (var (host, priority) in new[] { (a, 150), (b, 100) })
        {
            var json = lab.NewPath($"json-{host.Name}", "json");
            var config = lab.WriteFile($"two-{host.Name}", "conf", (spec with { Priority = priority }).ToConfig(host.Name)
                .Replace("global_defs {\n", $"global_defs {{\n    json_dump_file {json}\n", StringComparison.Ordinal));
            var pid = lab.NewPath($"two-{host.Name}", "pid");
            var socket = lab.NewPath($"two-{host.Name}", "sock");
            // Started in the root namespace: -s puts the whole daemon (sockets, VIPs, scripts) in the host's namespace.
            var process = lab.Start(null, $"vigil-{host.Name}", LabDaemons.VigilBinary,
                ["-n", "-l", "-D", "-s", host.Namespace, "-f", config, "-p", pid, "--control-socket", socket]);
            daemons.Add((host, process, socket, json, pid));
        }
        await lab.WaitForSoleHolderAsync(Vip, a, Bounds.Election(spec), a, b);

        foreach (var (host, process, socket, json, pid) in daemons)
        {
            var status = await lab.RunAsync(LabDaemons.VigilBinary, ["status", "--json", "--control-socket", socket]);
            using var doc = JsonDocument.Parse(status.Stdout);
            Assert.Equal(host == a ? "MASTER" : "BACKUP", doc.RootElement.GetProperty("vrrp")[0].GetProperty("state").GetString());
            Assert.Equal(process.Pid.ToString(CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(pid, TestContext.Current.CancellationToken)).Trim());
            Assert.True(process.Signal(36)); // SIGRTMIN+2: the JSON dump, to this daemon's own json_dump_file
        }
        foreach (var (host, _, _, json, _) in daemons)
        {
            await Poll.UntilAsync(() => Task.FromResult(File.Exists(json)), TimeSpan.FromSeconds(10), $"{host.Name}'s JSON dump", lab.DiagnosticsAsync);
            await Poll.UntilAsync(() => Task.FromResult(File.ReadAllText(json).Contains("\"state\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), $"{host.Name}'s JSON dump complete", lab.DiagnosticsAsync);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken));
            Assert.Equal(host == a ? 2 : 1, doc.RootElement[0].GetProperty("data").GetProperty("state").GetInt32());
        }

        // A third daemon pointed at a's control socket is refused before it sends a single advert.
        var clash = await b.ExecAsync(LabDaemons.VigilBinary, ["-n", "-l", "-f", lab.WriteFile("clash", "conf", (spec with { Vrid = 77 }).ToConfig("x")),
            "-p", lab.NewPath("clash", "pid"), "--control-socket", daemons[0].Socket], check: false);
        Assert.Equal(2, clash.ExitCode);
        Assert.Contains("in use by another daemon", clash.Stderr + clash.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Entering", clash.Stdout, StringComparison.Ordinal);
        Assert.All(daemons, d => Assert.False(d.Process.HasExited));
    }

    [Fact]
    public async Task Usr1_WritesTheDataDump_ToStateDumpFile_AndTerm_StopsWithThePriorityZeroHandOver()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var spec = new VrrpInstanceSpec { Priority = 150 };
        var data = lab.NewPath("data", "txt");
        var vigil = lab.StartVigil(a, spec.ToConfig("a").Replace("global_defs {\n", $"global_defs {{\n    state_dump_file {data}\n", StringComparison.Ordinal));
        lab.StartVigil(b, (spec with { Priority = 100 }).ToConfig("b"));
        await lab.WaitForSoleHolderAsync(Vip, a, Bounds.Election(spec), a, b);

        Assert.True(vigil.Process.Signal(10)); // SIGUSR1: keepalived's data dump
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(data) && File.ReadAllText(data).Contains("MASTER", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the data dump", lab.DiagnosticsAsync);
        var text = await File.ReadAllTextAsync(data, TestContext.Current.CancellationToken);
        Assert.Contains("vrrp_instance VI_1", text, StringComparison.Ordinal);
        Assert.Contains(Vip, text, StringComparison.Ordinal);

        // SIGTERM: priority 0, so b takes over within the skew time, not the master down interval.
        Assert.True(vigil.Process.Signal(15));
        await lab.WaitForSoleHolderAsync(Vip, b, TimeSpan.FromSeconds(1) + Bounds.Margin, a, b);
        Assert.True(await vigil.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, vigil.Process.ExitCode);
    }

    private static async Task<string> ScrapeAsync(LabHost host)
    {
        var result = await host.ExecAsync("curl", ["-sf", "--max-time", "3", "http://127.0.0.1:9650/metrics"], check: false);
        return result.ExitCode == 0 ? result.Stdout : "";
    }

    /// <summary>The value of one sample (name and exact label set), or -1 when it is not there.</summary>
    private static double Value(string text, string name, string labels)
    {
        var prefix = labels.Length == 0 ? name + " " : name + "{" + labels + "} ";
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }
}
