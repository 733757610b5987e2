using Vigil.Lab.Tests.Ipvs;
using Vigil.Testing;
using Vigil.Testing.Uml;
using static Vigil.Lab.Tests.Tracking.TrackingConfigs;

namespace Vigil.Lab.Tests.Balancing;

/// <summary>
/// What the operator hears from the daemon: real-server notify scripts, lvs_notify_fifo lines and alert mails
/// when nginx stops and starts behind a virtual server (vigil, nftables data plane), and VRRP transition mails
/// from vigil and keepalived 2.2.7 on the same configuration, compared. The SMTP sink runs inside the daemon's
/// namespace on 127.0.0.1. keepalived's checker needs IPVS, which this kernel lacks: the checker-side
/// expectations are the lines and mails keepalived 2.2.7 produced for the same setup inside User-Mode Linux.
/// </summary>
public sealed class NotifyTests
{
    private const string Vip = Testing.Lab.Vip4;

    private static string MailDefs(string routerId, string extra = "") => Global(routerId, $$"""
            notification_email {
                a@x.test
                b@x.test
            }
            notification_email_from vigil@lab.test
            smtp_server 127.0.0.1 2525
            smtp_helo_name helo.test
            smtp_connect_timeout 5
            smtp_alert
        {{extra}}
        """);

    [Fact]
    public async Task NginxStopsAndStarts_NotifyScriptsFifoLinesAndMails_AsKeepalived()
    {
        await using var lab = await LabFactory.CreateAsync();
        var lb = await lab.AddHostAsync("lb");
        var r1 = await lab.AddHostAsync("r1");
        var nginx = lab.StartNginx(r1);
        await r1.WaitForTcpListenAsync(80, TimeSpan.FromSeconds(10));
        var sink = await LabSmtpSink.StartAsync(lab, lb);
        var fifo = lab.NewPath("lvs", "fifo");
        var fifoLog = lab.NewPath("lvs-fifo", "log");
        await lab.RunAsync("mkfifo", [fifo]);
        lab.Start(lb, "fifo-reader", "/bin/sh", ["-c", $"exec cat {fifo} > {fifoLog}"]);
        var notifyLog = lab.NewPath("notify", "log");
        var recorder = RecorderScript(lab, "record", notifyLog);
        var config = MailDefs("lb", $"    lvs_notify_fifo {fifo}\n") + $$"""
            virtual_server {{Vip}} 80 {
                delay_loop 1
                lb_algo rr
                lb_kind NAT
                protocol TCP
                quorum_up "{{recorder}} quorum_up"
                quorum_down "{{recorder}} quorum_down"
                real_server {{r1.Ipv4}} 80 {
                    notify_up "{{recorder}} up"
                    notify_down "{{recorder}} down"
                    TCP_CHECK {
                        connect_timeout 1
                        retry 1
                        delay_before_retry 1
                    }
                }
            }
            """;
        lab.StartVigil(lb, config, ["--dataplane", "nftables"]);
        var rs = $"[{r1.Ipv4}]:tcp:80";
        var vs = $"[{Vip}]:tcp:80";

        // keepalived compat (observed): a virtual server starting with quorum announces it.
        await Poll.UntilAsync(() => ReadLines(fifoLog).Length >= 1, TimeSpan.FromSeconds(15), "the VS UP line at start", lab.DiagnosticsAsync);
        Assert.Equal([$"VS {vs} UP"], ReadLines(fifoLog));

        await nginx.StopAsync();
        // Down within delay_loop + connect_timeout + retry x delay_before_retry (1 + 1 + 1 s), plus margin.
        await Poll.UntilAsync(() => ReadLines(fifoLog).Length >= 3, TimeSpan.FromSeconds(3 + 6), "the RS and VS DOWN lines", lab.DiagnosticsAsync);
        var down = await sink.WaitForAsync(m => m.Header("Subject") is { } s && s.StartsWith("[lb] Realserver", StringComparison.Ordinal) && s.EndsWith("- DOWN", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the DOWN mail", lab);

        lab.StartNginx(r1);
        await Poll.UntilAsync(() => ReadLines(fifoLog).Length >= 5, TimeSpan.FromSeconds(3 + 6), "the RS and VS UP lines", lab.DiagnosticsAsync);
        var up = await sink.WaitForAsync(m => m.Header("Subject") is { } s && s.StartsWith("[lb] Realserver", StringComparison.Ordinal) && s.EndsWith("- UP", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the UP mail", lab);
        await Poll.UntilAsync(() => ReadLines(notifyLog).Length >= 5, TimeSpan.FromSeconds(5), "five notify runs", lab.DiagnosticsAsync);

        // keepalived 2.2.7's sequence for one real server stopping and starting (UML, same virtual server).
        Assert.Equal([$"VS {vs} UP", $"RS {rs} {vs} DOWN", $"VS {vs} DOWN", $"RS {rs} {vs} UP", $"VS {vs} UP"], ReadLines(fifoLog));
        // Scripts run as written, no arguments appended; those of different servers on their own queues.
        Assert.Equal(new[] { "quorum_up", "down", "quorum_down", "up", "quorum_up" }.Order(StringComparer.Ordinal), ReadLines(notifyLog).Order(StringComparer.Ordinal));
        Assert.Equal($"[lb] Realserver {rs} of virtual server {vs} - DOWN", down.Header("Subject"));
        Assert.Equal("=> TCP CHECK failed on service <=", down.Body[0]);
        Assert.Equal($"[lb] Realserver {rs} of virtual server {vs} - UP", up.Header("Subject"));
        Assert.Equal("=> TCP CHECK succeed on service <=", up.Body[0]);
        Assert.Equal(("HELO", "helo.test", "<vigil@lab.test>"), (down.Greeting, down.Helo, down.From));
        Assert.Equal(["<a@x.test>", "<b@x.test>"], down.To);
        // smtp_alert on global_defs mails the virtual server's quorum too (starting, lost, gained).
        var subjects = sink.Messages().Select(m => m.Header("Subject")).ToList();
        Assert.Contains($"[lb] Virtualserver {vs} - DOWN", subjects);
        Assert.Equal(2, subjects.Count(s => s == $"[lb] Virtualserver {vs} - UP"));
    }

    /// <summary>The checker side for keepalived and vigil in one UML boot (IPVS): one config, paths per daemon.</summary>
    private static string UmlConfig(string who) => $$"""
        global_defs {
            router_id uml
            notification_email {
                a@x.test
            }
            notification_email_from vigil@lab.test
            smtp_server 127.0.0.1 2525
            smtp_helo_name helo.test
            smtp_connect_timeout 5
            lvs_notify_fifo /run/{{who}}.fifo
        }
        virtual_server 10.77.0.1 80 {
            delay_loop 1
            lb_algo rr
            lb_kind NAT
            protocol TCP
            quorum_up "/bin/sh {{UmlMachine.Out}}/rec.sh {{UmlMachine.Out}}/{{who}}-notify.txt quorum_up"
            quorum_down "/bin/sh {{UmlMachine.Out}}/rec.sh {{UmlMachine.Out}}/{{who}}-notify.txt quorum_down"
            real_server 127.0.0.1 8080 {
                notify_up "/bin/sh {{UmlMachine.Out}}/rec.sh {{UmlMachine.Out}}/{{who}}-notify.txt up"
                notify_down "/bin/sh {{UmlMachine.Out}}/rec.sh {{UmlMachine.Out}}/{{who}}-notify.txt down"
                TCP_CHECK {
                    connect_timeout 1
                    retry 1
                    delay_before_retry 1
                }
            }
        }
        virtual_server fwmark 5 {
            delay_loop 1
            lb_algo rr
            smtp_alert
            real_server 127.0.0.1 8080 {
                TCP_CHECK {
                    connect_timeout 1
                }
            }
        }
        """;

    /// <summary>Shell lines: run one daemon against the sink and the FIFO reader, stop and start the backend, stop the daemon.</summary>
    private static string UmlRun(string who, string start)
    {
        var o = UmlMachine.Out;
        string Lines(int n) => UmlScript.Wait($"sh -c '[ $(grep -c . {o}/{who}-fifo.txt) -ge {n} ]'", UmlLab.Settle);
        // The FIFO on tmpfs (a FIFO on hostfs would be the host's).
        return $"mkfifo /run/{who}.fifo\n"
            + UmlScript.Background(who + "-fifo", "sh", "-c", $"exec cat /run/{who}.fifo > {o}/{who}-fifo.txt")
            + UmlScript.Background(who + "-sink", "python3", $"{o}/sink.py", "127.0.0.1", "2525", $"{o}/{who}-mail.jsonl", $"/run/{who}-sink.ready")
            + UmlScript.Wait($"test -f /run/{who}-sink.ready", UmlLab.Settle)
            + UmlScript.Background(who + "-http", "python3", "-m", "http.server", "--bind", "127.0.0.1", "8080")
            + UmlScript.Wait("bash -c 'exec 2>/dev/null; echo > /dev/tcp/127.0.0.1/8080'", UmlLab.Settle)
            + start
            + Lines(2)
            + UmlScript.Stop(who + "-http")
            + Lines(6)
            + UmlScript.Background(who + "-http2", "python3", "-m", "http.server", "--bind", "127.0.0.1", "8080")
            + Lines(10)
            + UmlScript.Wait($"sh -c '[ $(grep -c . {o}/{who}-notify.txt) -ge 5 ]'", UmlLab.Settle)
            + UmlScript.Wait($"sh -c '[ $(grep -c . {o}/{who}-mail.jsonl) -ge 7 ]'", UmlLab.Settle)
            + UmlScript.Stop(who)
            + UmlScript.Stop(who + "-http2")
            + UmlScript.Stop(who + "-sink");
    }

    [Fact]
    public async Task RealServerStopsAndStarts_InUmlWithIpvs_FifoScriptsAndMailsEqualKeepalived()
    {
        var files = new Dictionary<string, string>
        {
            ["k.conf"] = UmlConfig("k"),
            ["v.conf"] = UmlConfig("v"),
            ["sink.py"] = LabSmtpSink.Source,
            ["rec.sh"] = "log=$1; shift; echo \"$@\" >> \"$log\"\n",
        };
        var body = UmlRun("k", UmlLab.StartKeepalived("k", "k.conf")) + UmlRun("v", UmlLab.StartVigil("v", "v.conf"));

        var result = await UmlLab.BootAsync(body, files, TimeSpan.FromSeconds(300));

        var output = TestContext.Current.TestOutputHelper;
        foreach (var name in new[] { "k-fifo.txt", "v-fifo.txt", "k-notify.txt", "v-notify.txt" })
        {
            output?.WriteLine($"{name}: [{string.Join(" | ", result.File(name).Split('\n', StringSplitOptions.RemoveEmptyEntries))}]");
        }
        // Two virtual servers check the same backend on their own clocks: compare each server's lines in order.
        static string[] Of(string text, string vs) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.EndsWith(vs + " UP", StringComparison.Ordinal) || l.EndsWith(vs + " DOWN", StringComparison.Ordinal)).ToArray();
        foreach (var vs in new[] { "[10.77.0.1]:tcp:80", "FWM 5" })
        {
            Assert.Equal(Of(result.File("k-fifo.txt"), vs), Of(result.File("v-fifo.txt"), vs));
        }
        Assert.Equal(["VS [10.77.0.1]:tcp:80 UP", "RS [127.0.0.1]:tcp:8080 [10.77.0.1]:tcp:80 DOWN", "VS [10.77.0.1]:tcp:80 DOWN",
            "RS [127.0.0.1]:tcp:8080 [10.77.0.1]:tcp:80 UP", "VS [10.77.0.1]:tcp:80 UP"], Of(result.File("v-fifo.txt"), "[10.77.0.1]:tcp:80"));
        Assert.Equal(result.SortedLines("k-notify.txt"), result.SortedLines("v-notify.txt"));

        static string[] Mails(string jsonl) => [.. jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Select(r => string.Join("|", r.GetProperty("greeting").GetString(), r.GetProperty("helo").GetString(), r.GetProperty("from").GetString(),
                string.Join("\n", r.GetProperty("data").GetString()!.Split('\n').Where(d => !d.StartsWith("Date: ", StringComparison.Ordinal)))))
            .Order(StringComparer.Ordinal)];
        var k = Mails(result.File("k-mail.jsonl"));
        var v = Mails(result.File("v-mail.jsonl"));
        output?.WriteLine($"keepalived mails:\n{string.Join("\n--\n", k)}\nvigil mails:\n{string.Join("\n--\n", v)}");
        Assert.Equal(k, v);
    }

    private sealed record VrrpRun(IReadOnlyList<LabMail> Mails, string[] Fifo, string[] RxLower);

    /// <summary>
    /// One node under test (priority 100) and a peer at 50 that hears nothing (VRRP dropped on input), so it stays
    /// MASTER and keeps sending lower-priority adverts to the node: BACKUP and MASTER mails, then
    /// MASTER_RX_LOWER_PRI lines and script runs.
    /// </summary>
    private static async Task<VrrpRun> RunVrrpAsync(bool keepalived)
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var sink = await LabSmtpSink.StartAsync(lab, a);
        var fifo = lab.NewPath("vrrp", "fifo");
        var fifoLog = lab.NewPath("vrrp-fifo", "log");
        await lab.RunAsync("mkfifo", [fifo]);
        lab.Start(a, "fifo-reader", "/bin/sh", ["-c", $"exec cat {fifo} > {fifoLog}"]);
        var rxLog = lab.NewPath("rx", "log");
        var recorder = RecorderScript(lab, "rx", rxLog);
        var config = MailDefs("a", $"    vrrp_notify_fifo {fifo}\n")
            + Instance("VI_1", 51, 100, Vip, $"    notify_master_rx_lower_pri \"{recorder} rxlower\"\n");
        var daemon = keepalived ? lab.StartKeepalived(a, config) : lab.StartVigil(a, config);
        await a.WaitForAddressAsync(Vip, Election(100));

        await b.ExecAsync("nft", ["add table inet h3drop"]);
        await b.ExecAsync("nft", ["add chain inet h3drop in { type filter hook input priority 0 ; }"]);
        await b.ExecAsync("nft", ["add rule inet h3drop in ip protocol 112 drop"]);
        lab.StartKeepalived(b, Global("b") + Instance("VI_1", 51, 50, Vip));
        await Poll.UntilAsync(() => ReadLines(rxLog).Length >= 2, Election(50) + TimeSpan.FromSeconds(5), "two notify_master_rx_lower_pri runs", lab.DiagnosticsAsync);
        await sink.WaitForAsync(m => m.Header("Subject")!.Contains("MASTER", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the MASTER mail", lab);
        Assert.True(await daemon.StopAsync(), "the daemon should stop on SIGTERM");
        var run = new VrrpRun(sink.Messages(), ReadLines(fifoLog), ReadLines(rxLog));
        TestContext.Current.TestOutputHelper?.WriteLine($"{(keepalived ? "keepalived" : "vigil")}: mails [{string.Join(" | ", run.Mails.Select(m => m.Header("Subject")))}] fifo [{string.Join(" | ", run.Fifo)}] rx [{string.Join(" | ", run.RxLower)}]");
        return run;
    }

    [Fact]
    public async Task VrrpTransitionsAndLowerPriorityAdverts_MailsFifoAndScript_EqualKeepalived()
    {
        var reference = await RunVrrpAsync(keepalived: true);
        var vigil = await RunVrrpAsync(keepalived: false);

        static IEnumerable<string> Comparable(IReadOnlyList<LabMail> mails) =>
            mails.Select(m => string.Join("\n", m.Greeting, m.Helo, m.From, string.Join(",", m.To), string.Join("\n", m.Data.Split('\n').Where(l => !l.StartsWith("Date: ", StringComparison.Ordinal)))));
        Assert.Equal(Comparable(reference.Mails), Comparable(vigil.Mails));
        Assert.Equal(["[a] VRRP Instance VI_1 - Entering BACKUP state", "[a] VRRP Instance VI_1 - Entering MASTER state"], vigil.Mails.Select(m => m.Header("Subject")));
        Assert.Matches(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$", vigil.Mails[0].Header("Date")!);

        // The FIFO: BACKUP, MASTER, some MASTER_RX_LOWER_PRI (one per advert heard), STOP; the count depends on timing.
        static string[] Distinct(string[] lines) => lines.Where((l, i) => i == 0 || l != lines[i - 1]).ToArray();
        Assert.Equal(Distinct(reference.Fifo), Distinct(vigil.Fifo));
        Assert.Contains("INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100", vigil.Fifo);
        Assert.All(vigil.RxLower, l => Assert.Equal("rxlower", l));
        Assert.Equal(reference.RxLower.Distinct(), vigil.RxLower.Distinct());
    }
}
