using System.Net;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;
using Vigil.Checks.Tests.Fakes;

namespace Vigil.Checks.Tests.Probes;

public class SmtpProbeTests : ProbeTestBase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("220 mail.test ESMTP\r\n", "250 hello\r\n", true)]
    [InlineData("220-mail.test first\r\n220-second\r\n220 last\r\n", "250-mail.test\r\n250 SIZE 100\r\n", true)]
    [InlineData("554 go away\r\n", "250 hello\r\n", false)]
    [InlineData("220 mail.test\r\n", "501 bad helo\r\n", false)]
    [InlineData("garbage\r\n", "250 hello\r\n", false)]
    public async Task RunAsync_BannerAndHelo_PassOnlyOn220Then250(string banner, string heloReply, bool pass)
    {
        await using var server = new FakeTcpServer(FakeTcpServer.Dialogue(banner, heloReply, "221 bye\r\n"));
        var result = await new SmtpProbe(Target(server.Endpoint), new()).RunAsync(Ct);
        Assert.Equal(pass, result.Success);
    }

    [Fact]
    public async Task RunAsync_SendsHeloNameAndQuit()
    {
        var lines = new List<string>();
        await using var server = new FakeTcpServer(async (s, ct) =>
        {
            await s.WriteAsync("220 hi\r\n"u8.ToArray(), ct);
            using var reader = new StreamReader(s);
            lines.Add(await reader.ReadLineAsync(ct) ?? "");
            await s.WriteAsync("250 ok\r\n"u8.ToArray(), ct);
            lines.Add(await reader.ReadLineAsync(ct) ?? "");
        });
        Assert.True((await new SmtpProbe(Target(server.Endpoint), new("probe.example")).RunAsync(Ct)).Success);
        await TcpProbeTests.PollAsync(() => lines.Count == 2);
        Assert.Equal(["HELO probe.example", "QUIT"], lines);
        Assert.Equal("smtpchecker.keepalived.org", new SmtpCheckOptions().HeloName);
    }

    [Fact]
    public async Task RunAsync_SilentServer_TimesOut()
    {
        await using var server = new FakeTcpServer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        var result = await new SmtpProbe(Target(server.Endpoint, TimeSpan.FromMilliseconds(300)), new()).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("timeout", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ClosesAfterBanner_Fails()
    {
        await using var server = new FakeTcpServer(async (s, ct) => await s.WriteAsync("220 hi\r\n"u8.ToArray(), ct));
        Assert.False((await new SmtpProbe(Target(server.Endpoint), new()).RunAsync(Ct)).Success);
    }
}

public class DnsProbeTests : ProbeTestBase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_AnswerWithRecords_PassesAndAsksTheConfiguredQuestion()
    {
        await using var server = new FakeUdpServer(FakeUdpServer.Dns(0, 1));
        var result = await new DnsProbe(Target(server.Endpoint), new(DnsQueryType.A, "www.example.test")).RunAsync(Ct);
        Assert.True(result.Success, result.Reason);
        var query = server.Received.Single();
        Assert.Equal(DnsMessage.BuildQuery(0, "www.example.test", DnsQueryType.A).AsSpan(2).ToArray(), query.AsSpan(2).ToArray());
    }

    [Theory]
    [InlineData(3, 1, "rcode 3")]
    [InlineData(0, 0, "without answers")]
    [InlineData(2, 0, "rcode 2")]
    public async Task RunAsync_ErrorOrEmptyAnswer_Fails(int rcode, ushort answers, string reason)
    {
        await using var server = new FakeUdpServer(FakeUdpServer.Dns(rcode, answers));
        var result = await new DnsProbe(Target(server.Endpoint), new()).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WrongIdOnly_TimesOut()
    {
        await using var server = new FakeUdpServer(FakeUdpServer.Dns(0, 1, wrongId: true));
        var result = await new DnsProbe(Target(server.Endpoint, TimeSpan.FromMilliseconds(300)), new()).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("timeout", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoServer_FailsOnPortUnreachable()
    {
        var result = await new DnsProbe(Target(FakeUdpServer.ClosedPort()), new()).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("connection refused", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildQuery_RootSoa_IsTheMinimalQuestion()
    {
        var q = DnsMessage.BuildQuery(0x1234, ".", DnsQueryType.SOA);
        Assert.Equal("123401000001000000000000" + "00" + "0006" + "0001", Convert.ToHexString(q));
    }

    [Fact]
    public void BuildQuery_Labels_AreLengthPrefixed()
    {
        var q = DnsMessage.BuildQuery(1, "ab.c", DnsQueryType.MX);
        Assert.Equal("0261620163" + "00" + "000F" + "0001", Convert.ToHexString(q.AsSpan(12)));
    }

    [Fact]
    public void Judge_QueryNotResponse_Fails()
    {
        var q = DnsMessage.BuildQuery(9, ".", DnsQueryType.SOA);
        Assert.Equal("not a DNS response", DnsMessage.Judge(q, 9));
        Assert.Equal("short DNS response", DnsMessage.Judge(q.AsSpan(0, 5), 9));
    }
}

public class UdpProbeTests : ProbeTestBase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_EchoWithMatchingPattern_PassesAndSendsPayload()
    {
        await using var server = new FakeUdpServer(d => d);
        var options = new UdpCheckOptions(Convert.FromHexString("DEADBEEF"), RequireReply: true, ReplyPattern: HexPattern.Parse("DEXDBE"));
        var result = await new UdpProbe(Target(server.Endpoint), options).RunAsync(Ct);
        Assert.True(result.Success, result.Reason);
        Assert.Equal(Convert.FromHexString("DEADBEEF"), server.Received.Single());
    }

    [Fact]
    public async Task RunAsync_ReplyNotMatching_Fails()
    {
        await using var server = new FakeUdpServer(_ => [0x01, 0x02]);
        var options = new UdpCheckOptions([0], RequireReply: true, ReplyPattern: HexPattern.Parse("0103"));
        Assert.False((await new UdpProbe(Target(server.Endpoint), options).RunAsync(Ct)).Success);
    }

    [Theory]
    [InlineData(3, 4, 10, false)]
    [InlineData(4, 4, 10, true)]
    [InlineData(11, 4, 10, false)]
    public async Task RunAsync_ReplyLength_MustBeWithinBounds(int length, int min, int max, bool pass)
    {
        await using var server = new FakeUdpServer(_ => new byte[length]);
        var options = new UdpCheckOptions([1], RequireReply: true, MinReplyLength: min, MaxReplyLength: max);
        Assert.Equal(pass, (await new UdpProbe(Target(server.Endpoint), options).RunAsync(Ct)).Success);
    }

    [Fact]
    public async Task RunAsync_Silence_PassesUnlessReplyRequired()
    {
        await using var server = new FakeUdpServer(_ => null);
        var target = Target(server.Endpoint, TimeSpan.FromMilliseconds(200));
        Assert.True((await new UdpProbe(target, new()).RunAsync(Ct)).Success);
        var required = await new UdpProbe(target, new(RequireReply: true)).RunAsync(Ct);
        Assert.False(required.Success);
        Assert.Contains("no reply", required.Reason, StringComparison.Ordinal);
        Assert.Equal(16, server.Received[0].Length);
    }

    [Fact]
    public async Task RunAsync_PortUnreachable_Fails()
    {
        var result = await new UdpProbe(Target(FakeUdpServer.ClosedPort(), TimeSpan.FromSeconds(2)), new()).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("connection refused", result.Reason, StringComparison.Ordinal);
    }
}

public class PingProbeTests : ProbeTestBase
{
    private sealed class FakeEcho(bool replied) : IEchoSender
    {
        public IPAddress? Asked;

        public Task<(bool Replied, string? Reason)> SendAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Asked = address;
            return Task.FromResult(replied ? (true, (string?)null) : (false, (string?)"TimedOut"));
        }
    }

    [Fact]
    public async Task RunAsync_Loopback_RepliesWithManagedPing()
    {
        var result = await new PingProbe(Target(new IPEndPoint(IPAddress.Loopback, 0), TimeSpan.FromSeconds(2))).RunAsync(TestContext.Current.CancellationToken);
        Assert.True(result.Success, result.Reason);
    }

    [Fact]
    public async Task RunAsync_NoReply_FailsWithStatus()
    {
        var echo = new FakeEcho(false);
        var result = await new PingProbe(Target(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 80)), echo).RunAsync(TestContext.Current.CancellationToken);
        Assert.False(result.Success);
        Assert.Contains("TimedOut", result.Reason, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("127.0.0.9"), echo.Asked);
    }
}
