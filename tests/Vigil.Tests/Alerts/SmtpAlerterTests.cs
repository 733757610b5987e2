using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Alerts;
using Vigil.Config;

namespace Vigil.Tests.Alerts;

public sealed class SmtpAlerterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static SmtpAlerterOptions Options(int port, params string[] to) =>
        new("127.0.0.1", port, "helo.test", "vigil@lab.test", to.Length > 0 ? to : ["a@x.test", "b@x.test"], TimeSpan.FromSeconds(5), "lb1");

    private static readonly AlertMessage Master = new("[lb1] VRRP Instance VI_1 - Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <=");

    /// <summary>Polls a counter (bounded), advancing the fake clock a second per step when one is given.</summary>
    private static async Task UntilAsync(Func<bool> condition, FakeTimeProvider? time = null)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            time?.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.True(condition(), "condition not reached in time");
    }

    [Fact]
    public async Task Post_SinkAccepts_HeloEnvelopeAndKeepalivedHeaders()
    {
        await using var sink = new SmtpSink();
        await using var alerter = new SmtpAlerter(Options(sink.Port), TimeProvider.System, NullLogger.Instance);

        Assert.True(alerter.Post(Master));

        var message = Assert.Single(await sink.WaitForMessagesAsync(1, Wait));
        Assert.Equal("HELO", message.Greeting);
        Assert.Equal("helo.test", message.HeloName);
        Assert.Equal("<vigil@lab.test>", message.From);
        Assert.Equal(["<a@x.test>", "<b@x.test>"], message.To);
        var lines = message.Data.Split("\r\n");
        Assert.Matches(@"^Date: [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$", lines[0]);
        Assert.Equal(["From: vigil@lab.test", "Subject: [lb1] VRRP Instance VI_1 - Entering MASTER state", "X-Mailer: Keepalived",
            "To: a@x.test, b@x.test", "", "=> VRRP Instance is now owning VRRP VIPs <=", "", ""], lines[1..]);
        await UntilAsync(() => alerter.Sent == 1);
        Assert.Equal(0, alerter.Failed);
    }

    [Fact]
    public void BuildData_FixedTime_IsKeepalivedsTextExactly()
    {
        var data = SmtpAlerter.BuildData(Options(25), Master, new DateTimeOffset(2026, 12, 1, 14, 15, 32, TimeSpan.Zero));

        Assert.Equal("Date: Tue, 01 Dec 2026 14:15:32 +0000\r\nFrom: vigil@lab.test\r\nSubject: [lb1] VRRP Instance VI_1 - Entering MASTER state\r\n"
            + "X-Mailer: Keepalived\r\nTo: a@x.test, b@x.test\r\n\r\n=> VRRP Instance is now owning VRRP VIPs <=\r\n", data);
    }

    [Theory]
    [InlineData(-5, 0, "Mon, 07 Sep 2026 03:04:05 -0500")]
    [InlineData(5, 30, "Mon, 07 Sep 2026 03:04:05 +0530")]
    public void RfcDate_Offsets_SignedHoursAndMinutes(int hours, int minutes, string expected) =>
        Assert.Equal(expected, SmtpAlerter.RfcDate(new DateTimeOffset(2026, 9, 7, 3, 4, 5, new TimeSpan(hours, hours < 0 ? -minutes : minutes, 0))));

    [Fact]
    public void DotStuff_LineStartingWithDot_GetsAnotherDotAndCrlf() =>
        Assert.Equal("a\r\n..b\r\nc.", SmtpSession.DotStuff("a\n.b\r\nc."));

    [Fact]
    public async Task Post_BodyWithLeadingDot_ArrivesUnchanged()
    {
        await using var sink = new SmtpSink();
        await using var alerter = new SmtpAlerter(Options(sink.Port), TimeProvider.System, NullLogger.Instance);

        alerter.Post(new AlertMessage("s", ".hidden"));

        Assert.Contains("\r\n.hidden\r\n", Assert.Single(await sink.WaitForMessagesAsync(1, Wait)).Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_OneRecipientRefused_TheOtherStillGetsTheMail()
    {
        await using var sink = new SmtpSink();
        sink.Refused["b@x.test"] = true;
        await using var alerter = new SmtpAlerter(Options(sink.Port), TimeProvider.System, NullLogger.Instance);

        alerter.Post(Master);

        Assert.Equal(["<a@x.test>"], Assert.Single(await sink.WaitForMessagesAsync(1, Wait)).To);
        await UntilAsync(() => alerter.Sent == 1);
    }

    [Fact]
    public async Task Post_EveryRecipientRefused_CountsAFailureAndSendsNoData()
    {
        await using var sink = new SmtpSink();
        sink.Refused["a@x.test"] = true;
        await using var alerter = new SmtpAlerter(Options(sink.Port, "a@x.test"), TimeProvider.System, NullLogger.Instance);

        alerter.Post(Master);

        await UntilAsync(() => alerter.Failed == 1);
        Assert.Empty(sink.Messages);
        Assert.Equal(0, alerter.Sent);
    }

    [Theory]
    [InlineData(SinkMode.RefuseGreeting)]
    [InlineData(SinkMode.CloseAfterGreeting)]
    public async Task Post_ServerMisbehaves_CountsOneFailureAndTheNextMailIsTried(SinkMode mode)
    {
        await using var sink = new SmtpSink(mode);
        await using var alerter = new SmtpAlerter(Options(sink.Port), TimeProvider.System, NullLogger.Instance);

        alerter.Post(Master);
        alerter.Post(Master);

        await UntilAsync(() => alerter.Failed == 2);
        Assert.Equal(2, sink.Connections);
        Assert.Equal(0, alerter.Sent);
    }

    [Fact]
    public async Task Post_NothingListening_CountsAFailure()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var alerter = new SmtpAlerter(Options(port), TimeProvider.System, NullLogger.Instance);

        alerter.Post(Master);

        await UntilAsync(() => alerter.Failed == 1);
    }

    [Fact]
    public async Task Post_ServerNeverGreets_FailsOnlyAfterSmtpConnectTimeout()
    {
        await using var sink = new SmtpSink(SinkMode.Silent);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var alerter = new SmtpAlerter(Options(sink.Port), time, NullLogger.Instance);

        alerter.Post(Master);
        await UntilAsync(() => sink.Connections == 1);
        // Wait (bounded) until the greeting timer exists; short of the timeout nothing fails.
        await Task.Delay(200, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(0, alerter.Failed);

        await UntilAsync(() => alerter.Failed == 1, time);
        await DisposeWithFakeTimeAsync(alerter, time);
    }

    [Fact]
    public async Task Post_QueueFullWhileServerHangs_ReturnsFalseAndCountsTheDrop()
    {
        await using var sink = new SmtpSink(SinkMode.Silent);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var alerter = new SmtpAlerter(Options(sink.Port), time, NullLogger.Instance);

        alerter.Post(Master);
        await UntilAsync(() => sink.Connections == 1);
        var accepted = Enumerable.Range(0, SmtpAlerter.Capacity + 5).Count(_ => alerter.Post(Master));

        Assert.Equal(SmtpAlerter.Capacity, accepted);
        Assert.Equal(5, alerter.Dropped);
        await DisposeWithFakeTimeAsync(alerter, time);
    }

    private static async Task DisposeWithFakeTimeAsync(SmtpAlerter alerter, FakeTimeProvider time)
    {
        var dispose = alerter.DisposeAsync().AsTask();
        for (var i = 0; i < 200 && !dispose.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.True(dispose.IsCompleted, "the alerter should stop within its grace period");
        await dispose;
    }

    [Fact]
    public void FromConfig_Defaults_HostNameForHeloFromAndRouterId()
    {
        var global = new GlobalDefsConfig { SmtpServer = "192.0.2.1", NotificationEmail = new EquatableArray<string>(new[] { "ops@x.test" }) };

        var options = SmtpAlerterOptions.FromConfig(global, "node7");

        Assert.NotNull(options);
        Assert.Equal(("192.0.2.1", 25, "node7", "keepalived@node7", "node7", TimeSpan.FromSeconds(30)),
            (options.Server, options.Port, options.HeloName, options.From, options.RouterId, options.ConnectTimeout));
        Assert.Equal(["ops@x.test"], options.To);
    }

    [Fact]
    public void FromConfig_NoServerOrNoRecipients_SendsNothing()
    {
        Assert.Null(SmtpAlerterOptions.FromConfig(new GlobalDefsConfig { NotificationEmail = new EquatableArray<string>(new[] { "ops@x.test" }) }, "h"));
        Assert.Null(SmtpAlerterOptions.FromConfig(new GlobalDefsConfig { SmtpServer = "192.0.2.1" }, "h"));
    }

    [Fact]
    public void FromConfig_ParsedGlobalDefs_TakesEveryKeyword()
    {
        var result = ConfigLoader.LoadText("""
            global_defs {
                router_id lbk
                notification_email {
                    a@x.test
                    b@x.test
                }
                notification_email_from vigil@lab.test
                smtp_server 127.0.0.1 2525
                smtp_helo_name helo.test
                smtp_connect_timeout 7
            }
            """);

        var options = SmtpAlerterOptions.FromConfig(result.Config!.GlobalDefs, "ignored");

        Assert.Equal(new SmtpAlerterOptions("127.0.0.1", 2525, "helo.test", "vigil@lab.test", options!.To, TimeSpan.FromSeconds(7), "lbk"), options);
        Assert.Equal(["a@x.test", "b@x.test"], options.To);
    }
}
