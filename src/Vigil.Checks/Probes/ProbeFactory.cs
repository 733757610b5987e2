using System.Net;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>
/// Builds the probe for each checker type with keepalived's default ports, sharing the environment the
/// executable supplies: the socket configurator (bind_if, fwmark), the script runner and the echo sender.
/// </summary>
public sealed class ProbeFactory(IScriptRunner scripts, SocketConfigurator? configure = null, IEchoSender? echo = null)
{
    /// <summary>HTTP_GET (port 80 when the real server has none) or SSL_GET (443).</summary>
    public ICheckProbe Http(IPEndPoint realServer, CheckTiming timing, ConnectOptions? connect, HttpCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpProbe(ProbeTarget.For(realServer, connect, timing, options.UseTls ? 443 : 80, configure), options);
    }

    public ICheckProbe Tcp(IPEndPoint realServer, CheckTiming timing, ConnectOptions? connect) =>
        new TcpProbe(ProbeTarget.For(realServer, connect, timing, realServer?.Port ?? 0, configure));

    /// <summary>SMTP_CHECK, port 25 by default.</summary>
    public ICheckProbe Smtp(IPEndPoint realServer, CheckTiming timing, ConnectOptions? connect, SmtpCheckOptions? options = null) =>
        new SmtpProbe(ProbeTarget.For(realServer, connect, timing, 25, configure), options ?? new());

    /// <summary>DNS_CHECK, port 53 by default.</summary>
    public ICheckProbe Dns(IPEndPoint realServer, CheckTiming timing, ConnectOptions? connect, DnsCheckOptions? options = null) =>
        new DnsProbe(ProbeTarget.For(realServer, connect, timing, 53, configure), options ?? new());

    public ICheckProbe Udp(IPEndPoint realServer, CheckTiming timing, ConnectOptions? connect, UdpCheckOptions? options = null) =>
        new UdpProbe(ProbeTarget.For(realServer, connect, timing, realServer?.Port ?? 0, configure), options ?? new());

    public ICheckProbe Ping(IPEndPoint realServer, CheckTiming timing, ConnectOptions? connect) =>
        new PingProbe(ProbeTarget.For(realServer, connect, timing, 0, configure), echo);

    public ICheckProbe Misc(CheckTiming timing, MiscCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(timing);
        return new MiscProbe(options, timing.DelayLoop, scripts);
    }

    public static ICheckProbe File(FileCheckOptions options) => new FileProbe(options);
}

/// <summary>keepalived's spellings of enumerated checker keywords.</summary>
public static class CheckerKeywords
{
    /// <summary>http_protocol 1.0 | 1.0C | 1.1 (genhash -P also takes 1.0c).</summary>
    public static bool TryParseHttpProtocol(string text, out HttpProtocol protocol)
    {
        protocol = HttpProtocol.Http10;
        switch (text)
        {
            case "1.0":
                return true;
            case "1.0C" or "1.0c":
                protocol = HttpProtocol.Http10Close;
                return true;
            case "1.1":
                protocol = HttpProtocol.Http11;
                return true;
            default:
                return false;
        }
    }

    /// <summary>DNS_CHECK type (case-insensitive).</summary>
    public static bool TryParseDnsType(string text, out DnsQueryType type) =>
        Enum.TryParse(text, ignoreCase: true, out type) && Enum.IsDefined(type) && !char.IsAsciiDigit(text[0]);

    /// <summary>A keepalived checker block name (HTTP_GET, SSL_GET, TCP_CHECK, ...).</summary>
    public static bool TryParseKind(string text, out CheckerKind kind)
    {
        (var ok, kind) = text switch
        {
            "HTTP_GET" => (true, CheckerKind.HttpGet),
            "SSL_GET" => (true, CheckerKind.SslGet),
            "TCP_CHECK" => (true, CheckerKind.Tcp),
            "SMTP_CHECK" => (true, CheckerKind.Smtp),
            "DNS_CHECK" => (true, CheckerKind.Dns),
            "MISC_CHECK" => (true, CheckerKind.Misc),
            "PING_CHECK" => (true, CheckerKind.Ping),
            "UDP_CHECK" => (true, CheckerKind.Udp),
            "FILE_CHECK" => (true, CheckerKind.File),
            _ => (false, default),
        };
        return ok;
    }
}
