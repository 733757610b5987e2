using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;
using Vigil.Checks.Tests.Fakes;

namespace Vigil.Checks.Tests.Probes;

public class HttpProbeTests : ProbeTestBase
{
    private static string Md5(string s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_200WithMatchingDigest_Passes()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "hello world\n");
        var probe = new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/", Digest: Md5("hello world\n"))]));
        var result = await probe.RunAsync(Ct);
        Assert.True(result.Success, result.Reason);
        Assert.Equal($"GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:{server.Endpoint.Port}\r\n\r\n", server.Requests.Single());
    }

    [Fact]
    public async Task RunAsync_WrongBody_FailsOnDigest()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "defaced");
        var result = await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/", Digest: Md5("hello"))])).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("digest " + Md5("defaced"), result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503, null, false)]
    [InlineData(200, null, true)]
    [InlineData(302, "200 300-399", true)]
    [InlineData(404, "200 300-399", false)]
    [InlineData(503, "503", true)]
    public async Task RunAsync_StatusCodes_AcceptOnlyListedCodes(int status, string? codes, bool pass)
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(status, "x");
        var ranges = codes?.Split(' ').Select(c => StatusCodeRange.TryParse(c, out var r) ? r : throw new FormatException()).ToList();
        var result = await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/", StatusCodes: ranges)])).RunAsync(Ct);
        Assert.Equal(pass, result.Success);
    }

    [Fact]
    public async Task RunAsync_SeveralUrls_AllMustPass()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        var ok = server.Http(200, "a");
        var bad = server.Http(500, "b");
        var count = 0;
        server.Handler = (s, ct) => Interlocked.Increment(ref count) == 1 ? ok(s, ct) : bad(s, ct);
        var result = await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/one"), new HttpUrl("/two")])).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("/two", result.Reason, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task RunAsync_VirtualHostAndHttp11_SendsHostAndConnectionClose()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "x");
        var options = new HttpCheckOptions([new HttpUrl("/p")], Protocol: HttpProtocol.Http11, VirtualHost: "www.example.test");
        Assert.True((await new HttpProbe(Target(server.Endpoint), options).RunAsync(Ct)).Success);
        Assert.Equal("GET /p HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: www.example.test\r\n\r\n", server.Requests.Single());
    }

    [Fact]
    public async Task RunAsync_UrlVirtualHost_OverridesCheckerVirtualHost()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "x");
        var options = new HttpCheckOptions([new HttpUrl("/", VirtualHost: "url.test")], Protocol: HttpProtocol.Http10Close, VirtualHost: "checker.test");
        Assert.True((await new HttpProbe(Target(server.Endpoint), options).RunAsync(Ct)).Success);
        Assert.Equal("GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: url.test\r\n\r\n", server.Requests.Single());
    }

    [Theory]
    [InlineData("status: (green|ok)", false, null, true)]
    [InlineData("status: red", false, null, false)]
    [InlineData("STATUS: OK", false, "caseless", true)]
    [InlineData("status: ok", true, null, false)]
    [InlineData("status: red", true, null, true)]
    public async Task RunAsync_Regex_MatchesBody(string regex, bool noMatch, string? options, bool pass)
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "<html>status: ok</html>");
        var url = new HttpUrl("/", Regex: regex, RegexNoMatch: noMatch, RegexOptions: options is null ? null : [options]);
        var result = await new HttpProbe(Target(server.Endpoint), new([url])).RunAsync(Ct);
        Assert.Equal(pass, result.Success);
    }

    [Fact]
    public async Task RunAsync_RegexMaxOffset_RejectsLateMatch()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "0123456789OK");
        Assert.False((await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/", Regex: "OK", RegexMaxOffset: 5)])).RunAsync(Ct)).Success);
        Assert.True((await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/", Regex: "OK", RegexMinOffset: 3, RegexMaxOffset: 10)])).RunAsync(Ct)).Success);
    }

    [Fact]
    public async Task RunAsync_NoContentLength_ReadsUntilClose()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "streamed body", contentLength: false);
        Assert.True((await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/", Digest: Md5("streamed body"))])).RunAsync(Ct)).Success);
    }

    [Fact]
    public async Task RunAsync_SlowResponse_TimesOut()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "late", delay: TimeSpan.FromSeconds(5));
        var sw = Stopwatch.StartNew();
        var result = await new HttpProbe(Target(server.Endpoint, TimeSpan.FromMilliseconds(300)), new([new HttpUrl("/")])).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("timeout", result.Reason, StringComparison.Ordinal);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RunAsync_HalfOpen_TimesOut()
    {
        await using var server = new FakeTcpServer(FakeTcpServer.HalfOpen());
        var result = await new HttpProbe(Target(server.Endpoint, TimeSpan.FromMilliseconds(300)), new([new HttpUrl("/")])).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("timeout", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResetBeforeAnswer_Fails()
    {
        await using var server = new FakeTcpServer(FakeTcpServer.Reset());
        var result = await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/")])).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Matches("reset|empty response|incomplete", result.Reason!);
    }

    [Fact]
    public async Task RunAsync_NotHttp_FailsWithoutStatusLine()
    {
        await using var server = new FakeTcpServer(async (s, ct) =>
        {
            await FakeTcpServer.ReadHeaderAsync(s, ct);
            await s.WriteAsync("SSH-2.0-OpenSSH\r\n\r\n"u8.ToArray(), ct);
        });
        var result = await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/")])).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("no HTTP status line", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TlsSelfSigned_PassesWithoutVerificationAndSendsSni()
    {
        using var cert = FakeTcpServer.SelfSigned("backend.test");
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask, cert);
        server.Handler = server.Http(200, "secure");
        var options = new HttpCheckOptions([new HttpUrl("/", Digest: Md5("secure"))], UseTls: true, EnableSni: true, VirtualHost: "www.sni.test");
        var result = await new HttpProbe(Target(server.Endpoint, TimeSpan.FromSeconds(3)), options).RunAsync(Ct);
        Assert.True(result.Success, result.Reason);
        Assert.Equal("www.sni.test", server.SniNames.Single());
    }

    [Fact]
    public async Task RunAsync_TlsWithoutSni_SendsNoServerName()
    {
        using var cert = FakeTcpServer.SelfSigned("backend.test");
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask, cert);
        server.Handler = server.Http(200, "secure");
        var options = new HttpCheckOptions([new HttpUrl("/")], UseTls: true, VirtualHost: "www.sni.test");
        Assert.True((await new HttpProbe(Target(server.Endpoint, TimeSpan.FromSeconds(3)), options).RunAsync(Ct)).Success);
        Assert.Equal("", server.SniNames.Single());
    }

    [Fact]
    public async Task RunAsync_TlsBadCertificateWithVerifyPeer_Fails()
    {
        using var cert = FakeTcpServer.SelfSigned("backend.test", expired: true);
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask, cert);
        server.Handler = server.Http(200, "secure");
        var verifying = new HttpCheckOptions([new HttpUrl("/")], UseTls: true, EnableSni: true, SniName: "backend.test", Ssl: new SslOptions(VerifyPeer: true));
        var result = await new HttpProbe(Target(server.Endpoint, TimeSpan.FromSeconds(3)), verifying).RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("TLS", result.Reason, StringComparison.Ordinal);

        var lax = verifying with { Ssl = SslOptions.Default };
        Assert.True((await new HttpProbe(Target(server.Endpoint, TimeSpan.FromSeconds(3)), lax).RunAsync(Ct)).Success);
    }

    [Fact]
    public async Task RunAsync_TlsAgainstPlainServer_Fails()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "plain");
        var result = await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/")], UseTls: true)).RunAsync(Ct);
        Assert.False(result.Success);
    }

    [Fact]
    public async Task RunAsync_TlsClientCertificate_IsPresented()
    {
        using var serverCert = FakeTcpServer.SelfSigned("backend.test");
        using var clientCert = FakeTcpServer.SelfSigned("client.test");
        string? presented = null;
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask, serverCert);
        var http = server.Http(200, "x");
        server.Handler = async (s, ct) =>
        {
            presented = ((System.Net.Security.SslStream)s).RemoteCertificate?.Subject;
            await http(s, ct);
        };
        server.AskClientCertificate = true;
        var options = new HttpCheckOptions([new HttpUrl("/")], UseTls: true, Ssl: new SslOptions { ClientCertificate = clientCert });
        var result = await new HttpProbe(Target(server.Endpoint, TimeSpan.FromSeconds(3)), options).RunAsync(Ct);
        Assert.True(result.Success, result.Reason);
        Assert.Equal("CN=client.test", presented);
    }

    [Fact]
    public void Digest_IsLowercaseHexMd5()
    {
        Assert.Equal("5eb63bbbe01eeed093cb22bb8f5acdc3", HttpProbe.Digest("hello world"u8));
    }

    [Fact]
    public async Task RunAsync_Ipv6_SendsBracketedHostAsKeepalived()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask, bind: System.Net.IPAddress.IPv6Loopback);
        server.Handler = server.Http(200, "v6");
        var result = await new HttpProbe(Target(server.Endpoint), new([new HttpUrl("/v6", Digest: Md5("v6"))])).RunAsync(Ct);
        Assert.True(result.Success, result.Reason);
        Assert.Equal($"GET /v6 HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: [::1]:{server.Endpoint.Port}\r\n\r\n", server.Requests.Single());
    }
}
