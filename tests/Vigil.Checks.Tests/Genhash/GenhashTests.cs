using System.Net;
using System.Text;
using Vigil.Checks.Genhash;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;
using Vigil.Checks.Tests.Fakes;
using Vigil.Checks.Tests.Probes;

namespace Vigil.Checks.Tests.Genhash;

public class GenhashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Answers with header and body in one write, or with the body after a pause.</summary>
    private static Func<Stream, CancellationToken, Task> Respond(string header, string body, bool split) =>
        async (stream, ct) =>
        {
            await FakeTcpServer.ReadHeaderAsync(stream, ct);
            if (!split)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header + body), ct);
                return;
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header), ct);
            await Task.Delay(150, ct);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(body), ct);
        };

    private static async Task<string> RunOurs(GenhashRequest request)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        Assert.Equal(0, await Vigil.Checks.Genhash.Genhash.RunAsync(request, writer, cancellationToken: Ct));
        return writer.ToString();
    }

    [Fact]
    public void HexDump_MatchesGenhashLayout()
    {
        // Lines observed from keepalived 2.2.7 genhash -v.
        Assert.Equal("0000  61 62 63 64             -                           abcd            \n", Vigil.Checks.Genhash.Genhash.HexDump("abcd"u8));
        Assert.Equal("0000  61 62 63 64 65 66 67 68 -                           abcdefgh        \n", Vigil.Checks.Genhash.Genhash.HexDump("abcdefgh"u8));
        Assert.Equal(
            "0000  78 78 78 78 78 78 78 78 - 78 78 78 78 78 78 78 78   xxxxxxxxxxxxxxxx\n" +
            "0016  78 78 78 78 78 78 78 78 - 78 78 78 78 78 78 78 78   xxxxxxxxxxxxxxxx\n" +
            "0032  78 78 78 78 78 78 78 78 - 0a                        xxxxxxxx.       \n",
            Vigil.Checks.Genhash.Genhash.HexDump(Encoding.ASCII.GetBytes(new string('x', 40) + "\n")));
    }

    [Theory]
    [InlineData("HTTP Header Buffer", "-----------------------[    HTTP Header Buffer    ]-----------------------\n")]
    [InlineData("HTTP Header Ascii Buffer", "-----------------------[ HTTP Header Ascii Buffer ]-----------------------\n")]
    [InlineData("HTML Buffer", "-----------------------[        HTML Buffer        ]-----------------------\n")]
    [InlineData("HTML hash resulting", "-----------------------[    HTML hash resulting    ]-----------------------\n")]
    [InlineData("HTML hash final resulting", "-----------------------[ HTML hash final resulting ]-----------------------\n")]
    public void Banner_MatchesGenhash(string title, string line) => Assert.Equal(line, Vigil.Checks.Genhash.Genhash.Banner(title));

    [Fact]
    public async Task RunAsync_Quiet_PrintsOnlyTheDigest()
    {
        await using var server = new FakeTcpServer(Respond("HTTP/1.0 404 Not Found\r\n\r\n", "missing", split: false));
        var output = await RunOurs(new GenhashRequest(IPAddress.Loopback, server.Endpoint.Port, "/x"));
        Assert.Equal(HttpProbe.Digest("missing"u8) + "\n", output);
    }

    [Fact]
    public async Task RunAsync_NothingListening_PrintsConnectionFailed()
    {
        var port = ProbeTestBase.ClosedTcpPort().Port;
        Assert.Equal("Connection failed\n", await RunOurs(new GenhashRequest(IPAddress.Loopback, port, "/")));
        var verbose = await RunOurs(new GenhashRequest(IPAddress.Loopback, port, "/", Verbose: true));
        Assert.Matches("^Connection failed\n\nGlobal response time for \\[/\\] = \\d+ usecs\n$", verbose);
    }

    [Fact]
    public async Task RunAsync_Tls_FetchesOverSsl()
    {
        using var cert = FakeTcpServer.SelfSigned("genhash.test");
        await using var server = new FakeTcpServer(Respond("HTTP/1.0 200 OK\r\n\r\n", "over tls", split: false), cert);
        var output = await RunOurs(new GenhashRequest(IPAddress.Loopback, server.Endpoint.Port, "/", UseSsl: true, UseSni: true, VirtualHost: "genhash.test"));
        Assert.Equal(HttpProbe.Digest("over tls"u8) + "\n", output);
        Assert.Equal("genhash.test", server.SniNames.Single());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_Verbose_MatchesKeepalivedGenhashByteForByte(bool split)
    {
        var keepalived = ExternalTool.Find("keepalived");
        if (keepalived is null) Assert.Skip("keepalived is not installed");
        var header = "HTTP/1.0 200 OK\r\nServer: fake\r\nContent-Type: text/html\r\n\r\n";
        var body = "<html>\n" + new string('v', 50) + "\n\x01\x7f</html>\n";
        await using var server = new FakeTcpServer(Respond(header, body, split));

        var (code, theirs) = await ExternalTool.RunAsync(keepalived, ["-T", "-s", "127.0.0.1", "-p", server.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", "/page", "-v"], TimeSpan.FromSeconds(10));
        Assert.Equal(0, code);
        var ours = await RunOurs(new GenhashRequest(IPAddress.Loopback, server.Endpoint.Port, "/page", Verbose: true));

        static string WithoutTiming(string s) => System.Text.RegularExpressions.Regex.Replace(s, "= \\d+ usecs", "= N usecs");
        Assert.Equal(WithoutTiming(theirs), WithoutTiming(ours));
        Assert.Equal(split, !ours.Contains("HTML Buffer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, HttpProtocol.Http10, "Host: 127.0.0.1:{0}")]
    [InlineData("vh.test", HttpProtocol.Http11, "Host: vh.test")]
    public async Task RunAsync_Request_MatchesKeepalivedGenhash(string? virtualHost, HttpProtocol protocol, string hostLine)
    {
        var keepalived = ExternalTool.Find("keepalived");
        if (keepalived is null) Assert.Skip("keepalived is not installed");
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "x");
        var port = server.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        List<string> args = ["-T", "-s", "127.0.0.1", "-p", port, "-u", "/r", "-P", protocol == HttpProtocol.Http11 ? "1.1" : "1.0"];
        if (virtualHost is not null) args.AddRange(["-V", virtualHost]);
        await ExternalTool.RunAsync(keepalived, args, TimeSpan.FromSeconds(10));
        await RunOurs(new GenhashRequest(IPAddress.Loopback, server.Endpoint.Port, "/r", VirtualHost: virtualHost, Protocol: protocol));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(server.Requests[0], server.Requests[1]);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, hostLine, port) + "\r\n", server.Requests[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ChunkedBody_HashesTheRawBytesAsKeepalived()
    {
        const string raw = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        await using var server = new FakeTcpServer(Respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", raw, split: false));
        var ours = await RunOurs(new GenhashRequest(IPAddress.Loopback, server.Endpoint.Port, "/", Protocol: HttpProtocol.Http11));
        Assert.Equal(HttpProbe.Digest(Encoding.ASCII.GetBytes(raw)) + "\n", ours);

        var keepalived = ExternalTool.Find("keepalived");
        if (keepalived is null) Assert.Skip("keepalived is not installed");
        var port = server.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (_, theirs) = await ExternalTool.RunAsync(keepalived, ["-T", "-s", "127.0.0.1", "-p", port, "-u", "/", "-P", "1.1"], TimeSpan.FromSeconds(10));
        Assert.Equal(theirs, ours);
    }
}
