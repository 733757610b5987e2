using System.Net;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;
using Vigil.Checks.Tests.Fakes;

namespace Vigil.Checks.Tests.Probes;

public class ProbeFactoryTests
{
    [Theory]
    [InlineData("1.0", HttpProtocol.Http10)]
    [InlineData("1.0C", HttpProtocol.Http10Close)]
    [InlineData("1.0c", HttpProtocol.Http10Close)]
    [InlineData("1.1", HttpProtocol.Http11)]
    public void TryParseHttpProtocol_KeepalivedSpellings(string text, HttpProtocol expected)
    {
        Assert.True(CheckerKeywords.TryParseHttpProtocol(text, out var p));
        Assert.Equal(expected, p);
    }

    [Theory]
    [InlineData("A", true, DnsQueryType.A)]
    [InlineData("soa", true, DnsQueryType.SOA)]
    [InlineData("AAAA", true, DnsQueryType.AAAA)]
    [InlineData("1", false, DnsQueryType.A)]
    [InlineData("PTR", false, DnsQueryType.A)]
    public void TryParseDnsType_NamesOnly(string text, bool ok, DnsQueryType expected)
    {
        Assert.Equal(ok, CheckerKeywords.TryParseDnsType(text, out var t));
        if (ok) Assert.Equal(expected, t);
    }

    [Fact]
    public void TryParseKind_KnowsEveryBlock()
    {
        string[] names = ["HTTP_GET", "SSL_GET", "TCP_CHECK", "SMTP_CHECK", "DNS_CHECK", "MISC_CHECK", "PING_CHECK", "UDP_CHECK", "FILE_CHECK"];
        Assert.Equal(Enum.GetValues<CheckerKind>(), names.Select(n => CheckerKeywords.TryParseKind(n, out var k) ? k : throw new InvalidOperationException(n)));
        Assert.False(CheckerKeywords.TryParseKind("BFD_CHECK", out _));
    }

    [Fact]
    public async Task Tcp_ConnectPortOverride_ProbesThatPort()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        using var scripts = new ProcessScriptRunner();
        var configured = 0;
        var factory = new ProbeFactory(scripts, (_, _) => Interlocked.Increment(ref configured));
        var realServer = new IPEndPoint(IPAddress.Loopback, ProbeTestBase.ClosedTcpPort().Port);
        var timing = CheckDefaults.For(CheckerKind.Tcp) with { ConnectTimeout = TimeSpan.FromSeconds(1) };
        Assert.False((await factory.Tcp(realServer, timing, null).RunAsync(TestContext.Current.CancellationToken)).Success);
        var probe = factory.Tcp(realServer, timing, new ConnectOptions(ConnectPort: server.Endpoint.Port));
        Assert.True((await probe.RunAsync(TestContext.Current.CancellationToken)).Success);
        Assert.Equal(2, configured);
    }
}
