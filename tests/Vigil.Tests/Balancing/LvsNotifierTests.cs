using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Balancing;
using Vigil.Config;
using Vigil.Tests.Alerts;

namespace Vigil.Tests.Balancing;

/// <summary>LvsNotifier against the formats keepalived 2.2.7 wrote (observed inside UML with IPVS).</summary>
public sealed class LvsNotifierTests
{
    private static readonly VirtualServerConfig Vs = new() { Address = IPAddress.Parse("10.0.0.1"), Port = 80, Protocol = LvsProtocol.Tcp };

    private static RealServerConfig Rs(string address, int port = 8080) => new() { Address = IPAddress.Parse(address), Port = port };

    [Fact]
    public void Names_TcpUdpFwmarkIpv6_AsKeepalivedSpellsThem()
    {
        Assert.Equal("[10.0.0.1]:tcp:80", LvsNotifier.VirtualServerName(Vs));
        Assert.Equal("[127.0.0.1]:tcp:8080", LvsNotifier.RealServerName(Vs, Rs("127.0.0.1")));
        var udp = Vs with { Address = IPAddress.Parse("10.0.0.3"), Port = 53, Protocol = LvsProtocol.Udp };
        Assert.Equal("[127.0.0.1]:udp:53", LvsNotifier.RealServerName(udp, Rs("127.0.0.1", 0)));
        var fwmark = new VirtualServerConfig { Fwmark = 5, Protocol = LvsProtocol.Tcp };
        Assert.Equal("FWM 5", LvsNotifier.VirtualServerName(fwmark));
        Assert.Equal("[127.0.0.1]:none:8080", LvsNotifier.RealServerName(fwmark, Rs("127.0.0.1")));
        var v6 = new VirtualServerConfig { Address = IPAddress.Parse("fd77::100"), Port = 443, Protocol = LvsProtocol.Tcp };
        Assert.Equal("[fd77::100]:tcp:443", LvsNotifier.VirtualServerName(v6));
        Assert.Equal("[fd77::2]:tcp:443", LvsNotifier.RealServerName(v6, Rs("fd77::2", 0)));
    }

    [Fact]
    public async Task RealServerDownThenVirtualServerDown_FifoLinesInBothFifosScriptsAsWritten()
    {
        using var scratch = new NotifyScratch();
        var lvsFifo = scratch.PathOf("lvs.fifo");
        var genFifo = scratch.PathOf("gen.fifo");
        var global = new GlobalDefsConfig
        {
            LvsNotifyFifo = new NotifyFifoConfig(lvsFifo, null, null, null),
            NotifyFifo = new NotifyFifoConfig(genFifo, null, null, null),
        };
        var runner = new RecordingScriptRunner();
        var notifier = new LvsNotifier(global, runner, NullLogger.Instance);
        using var lvs = new FifoReader(lvsFifo);
        using var gen = new FifoReader(genFifo);
        var rs = Rs("127.0.0.1") with { NotifyUp = scratch.Script + " up", NotifyDown = scratch.Script + " down" };
        var vs = Vs with { QuorumUp = scratch.Script + " quorum_up", QuorumDown = scratch.Script + " quorum_down", RealServers = new EquatableArray<RealServerConfig>(new[] { rs }) };

        notifier.VirtualServer(vs, up: true, starting: true, liveWeight: 1);
        notifier.RealServer(vs, rs, up: false, "TCP_CHECK", "refused");
        notifier.VirtualServer(vs, up: false, starting: false, liveWeight: 0);

        string[] expected = ["VS [10.0.0.1]:tcp:80 UP", "RS [127.0.0.1]:tcp:8080 [10.0.0.1]:tcp:80 DOWN", "VS [10.0.0.1]:tcp:80 DOWN"];
        Assert.Equal(expected, await lvs.ReadLinesAsync(3));
        Assert.Equal(expected, await gen.ReadLinesAsync(3));
        var runs = await runner.WaitForRunsAsync(3);
        Assert.Equal([[scratch.Script, "quorum_up"], [scratch.Script, "down"], [scratch.Script, "quorum_down"]],
            runs.OrderBy(r => r[1] == "quorum_up" ? 0 : r[1] == "down" ? 1 : 2));
        Assert.Equal(3, notifier.Notifications);
        await notifier.DisposeAsync();
    }

    [Fact]
    public async Task Mails_RealServerByDefault_VirtualServerOnlyWithSmtpAlert()
    {
        await using var sink = new SmtpSink();
        var global = new GlobalDefsConfig
        {
            RouterId = "lbu",
            SmtpServer = "127.0.0.1",
            SmtpPort = sink.Port,
            NotificationEmail = new EquatableArray<string>(new[] { "a@x.test" }),
        };
        var notifier = new LvsNotifier(global, new RecordingScriptRunner(), NullLogger.Instance);
        var rs = Rs("127.0.0.1");

        notifier.RealServer(Vs, rs, up: false, "TCP_CHECK", "refused");
        notifier.VirtualServer(Vs, up: false, starting: false, liveWeight: 0);
        notifier.RealServer(Vs, rs with { SmtpAlert = false }, up: true, "TCP_CHECK", null);
        notifier.VirtualServer(Vs with { SmtpAlert = true }, up: true, starting: false, liveWeight: 1);
        await notifier.DisposeAsync();

        Assert.Equal([
            "Subject: [lbu] Realserver [127.0.0.1]:tcp:8080 of virtual server [10.0.0.1]:tcp:80 - DOWN|=> TCP CHECK failed on service <=",
            "Subject: [lbu] Virtualserver [10.0.0.1]:tcp:80 - UP|=> Gained quorum 1+0=1 <= 1 <=",
        ], sink.Messages.Select(m => m.Data.Split("\r\n")).Select(l => l[2] + "|" + l[6]));
    }
}
