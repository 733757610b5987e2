using System.Globalization;
using Vigil.Config.Syntax;

namespace Vigil.Config.Binding;

/// <summary>Checker blocks of a real_server: common keywords (check_api.c) plus each type's own.</summary>
internal static class CheckerBinder
{
    public static readonly string[] Keywords =
        ["HTTP_GET", "SSL_GET", "TCP_CHECK", "SMTP_CHECK", "DNS_CHECK", "MISC_CHECK", "PING_CHECK", "UDP_CHECK", "FILE_CHECK", "BFD_CHECK"];

    private static readonly Dictionary<string, KeywordMap<CheckerConfig>> Maps = new(StringComparer.Ordinal)
    {
        ["HTTP_GET"] = Http("HTTP_GET"),
        ["SSL_GET"] = Http("SSL_GET"),
        ["TCP_CHECK"] = Common("TCP_CHECK", connection: true),
        ["SMTP_CHECK"] = Common("SMTP_CHECK", connection: true)
            .Add("helo_name", Typed<SmtpCheckConfig>((ctx, n, c) => c with { HeloName = ctx.Arg(n) }))
            .Add("host", (ctx, n, c) =>
            {
                // keepalived compat: host{} is deprecated (silently in 2.2.7); its connection keywords apply to the checker.
                return Common("host", connection: true).Bind(ctx, n.Children, c, out _);
            }),
        ["DNS_CHECK"] = Common("DNS_CHECK", connection: true)
            .Add("type", Typed<DnsCheckConfig>((ctx, n, c) => ctx.Arg(n)?.ToUpperInvariant() is { } t
                && t is "A" or "NS" or "CNAME" or "SOA" or "MX" or "TXT" or "AAAA" or "RRSIG" or "DNSKEY"
                ? c with { Type = t } : Bad(ctx, n, c)))
            .Add("name", Typed<DnsCheckConfig>((ctx, n, c) => c with { Name = ctx.Arg(n) ?? c.Name })),
        ["MISC_CHECK"] = Common("MISC_CHECK", connection: false)
            .Add("misc_path", Typed<MiscCheckConfig>((ctx, n, c) => c with { Path = ctx.Rest(n) ?? c.Path }))
            .Add("misc_timeout", Typed<MiscCheckConfig>((ctx, n, c) => c with { Timeout = ctx.TimerOr(n, 0, 0.000001, uint.MaxValue, c.Timeout) }))
            .Add("misc_dynamic", Typed<MiscCheckConfig>((ctx, n, c) => c with { Dynamic = true }))
            .Add("user", Typed<MiscCheckConfig>((ctx, n, c) => c with { User = ctx.Arg(n), Group = n.Args.Length > 1 ? n.Args[1] : null })),
        ["PING_CHECK"] = Common("PING_CHECK", connection: true),
        ["UDP_CHECK"] = Common("UDP_CHECK", connection: true)
            .Add("payload", Typed<UdpCheckConfig>((ctx, n, c) => c with { Payload = Hex(ctx, n) }))
            .Add("require_reply", Typed<UdpCheckConfig>((ctx, n, c) => c with { RequireReply = Hex(ctx, n, wildcard: true) }))
            .Add("min_reply_length", Typed<UdpCheckConfig>((ctx, n, c) => c with { MinReplyLength = ctx.IntOr(n, 0, 0, 65535, 0) }))
            .Add("max_reply_length", Typed<UdpCheckConfig>((ctx, n, c) => c with { MaxReplyLength = ctx.IntOr(n, 0, 0, 65535, 255) })),
        ["FILE_CHECK"] = new KeywordMap<CheckerConfig>("FILE_CHECK")
            .Add("track_file", Typed<FileCheckConfig>((ctx, n, c) => c with { TrackFile = ctx.Arg(n) ?? c.TrackFile }))
            .Add("dynamic", Typed<FileCheckConfig>((ctx, n, c) => c with { Dynamic = true }))
            .Add("weight", Typed<FileCheckConfig>((ctx, n, c) => ctx.Int(n, 0, -254, 254, out var w)
                ? c with { Weight = w, WeightReverse = n.Args.Length > 1 && n.Args[1] == "reverse" } : c)),
        ["BFD_CHECK"] = new KeywordMap<CheckerConfig>("BFD_CHECK")
            .Add("name", Typed<BfdCheckConfig>((ctx, n, c) => c with { Name = ctx.Arg(n) ?? c.Name }))
            .Add("alpha", (ctx, n, c) => c with { Alpha = ctx.Bool(n) }),
    };

    public static bool IsChecker(string keyword) => Maps.ContainsKey(keyword);

    internal static IReadOnlyDictionary<string, KeywordMap<CheckerConfig>> AllMaps => Maps;

    private static Handler<CheckerConfig> Typed<T>(Handler<T> handler)
        where T : CheckerConfig =>
        (ctx, n, c) => c is T typed ? handler(ctx, n, typed) : c;

    private static T Bad<T>(BindContext ctx, ConfigNode n, T c)
    {
        ctx.Error(n, $"invalid value '{n.Args.FirstOrDefault()}' for '{n.Keyword}'");
        return c;
    }

    private static KeywordMap<CheckerConfig> Common(string block, bool connection)
    {
        var map = new KeywordMap<CheckerConfig>(block)
            .Add("connect_timeout", (ctx, n, c) => c with { ConnectTimeout = ctx.TimerOr(n, 0, 0.000001, uint.MaxValue, c.ConnectTimeout) })
            .Add("retry", (ctx, n, c) => c with { Retry = ctx.IntOr(n, 0, 0, uint.MaxValue, c.Retry) })
            .Add("nb_get_retry", (ctx, n, c) => c with { Retry = ctx.IntOr(n, 0, 0, uint.MaxValue, c.Retry) })
            .Add("delay_before_retry", (ctx, n, c) => c with { DelayBeforeRetry = ctx.TimerOr(n, 0, 0, uint.MaxValue, c.DelayBeforeRetry) })
            .Add("warmup", (ctx, n, c) => c with { Warmup = ctx.TimerOr(n, 0, 0, uint.MaxValue, c.Warmup) })
            .Add("delay_loop", (ctx, n, c) => c with { DelayLoop = ctx.TimerOr(n, 0, 0.000001, uint.MaxValue, c.DelayLoop) })
            .Add("alpha", (ctx, n, c) => c with { Alpha = ctx.Bool(n) })
            .Add("log_all_failures", (ctx, n, c) => c with { LogAllFailures = ctx.Bool(n) });
        if (connection)
        {
            map.Add("connect_ip", (ctx, n, c) => c with { ConnectIp = ctx.Ip(n) })
                .Add("connect_port", (ctx, n, c) => c with { ConnectPort = ctx.Port(n, 0) })
                .Add("bindto", (ctx, n, c) => c with { BindTo = ctx.Ip(n) })
                .Add("bind_port", (ctx, n, c) => c with { BindPort = ctx.Port(n, 0) })
                .Add("bind_if", (ctx, n, c) => c with { BindInterface = ctx.Arg(n) })
                .Add("fwmark", (ctx, n, c) => c with { Fwmark = ctx.IntOr(n, 0, 0, uint.MaxValue, 0) });
        }
        return map;
    }

    private static KeywordMap<CheckerConfig> Http(string block) => Common(block, connection: true)
        .Add("virtualhost", Typed<HttpCheckConfig>((ctx, n, c) => c with { Virtualhost = ctx.Arg(n) }))
        .Add("http_protocol", Typed<HttpCheckConfig>((ctx, n, c) => ctx.Arg(n)?.ToUpperInvariant() is "1.0" or "1.0C" or "1.1"
            ? c with { HttpProtocol = n.Args[0].ToUpperInvariant() } : Bad(ctx, n, c)))
        .Add("enable_sni", Typed<HttpCheckConfig>((ctx, n, c) => c with { EnableSni = ctx.Bool(n) }))
        .Add("sni_name", Typed<HttpCheckConfig>((ctx, n, c) => c with { SniName = ctx.Arg(n) }))
        .Add("fast_recovery", Typed<HttpCheckConfig>((ctx, n, c) => c with { FastRecovery = ctx.Bool(n) }))
        .Add("tls_compliant", Typed<HttpCheckConfig>((ctx, n, c) => c with { TlsCompliant = ctx.Bool(n) }))
        .Add("url", Typed<HttpCheckConfig>((ctx, n, c) => Url(ctx, n) is { } url ? c with { Urls = c.Urls.Add(ctx.Locate(url, n.At)) } : c));

    public static readonly KeywordMap<UrlConfig> UrlMap = new KeywordMap<UrlConfig>("url")
        .Add("path", (ctx, n, c) => c with { Path = ctx.Arg(n) ?? c.Path })
        .Add("digest", (ctx, n, c) => ctx.Arg(n) is { Length: 32 } d && d.All(char.IsAsciiHexDigit) ? c with { Digest = d.ToLowerInvariant() } : Bad(ctx, n, c))
        .Add("status_code", StatusCodes)
        .Add("virtualhost", (ctx, n, c) => c with { Virtualhost = ctx.Arg(n) })
        .Add("regex", (ctx, n, c) => c with { Regex = ctx.Rest(n) })
        .Add("regex_no_match", (ctx, n, c) => c with { RegexNoMatch = true })
        .Add("regex_options", (ctx, n, c) => c with { RegexOptions = n.Args.ToEquatableArray() })
        .Add("regex_min_offset", (ctx, n, c) => c with { RegexMinOffset = ctx.IntOr(n, 0, 0, int.MaxValue, 0) })
        .Add("regex_max_offset", (ctx, n, c) => c with { RegexMaxOffset = ctx.IntOr(n, 0, 0, int.MaxValue, 0) })
        .Add("regex_stack", (ctx, n, c) => c with { RegexStack = ctx.IntOr(n, 0, 0, int.MaxValue, 0) })
        .Add("tls_compliant", (ctx, n, c) => c);

    private static UrlConfig? Url(BindContext ctx, ConfigNode node)
    {
        var url = UrlMap.Bind(ctx, node.Children, new UrlConfig { Path = "" }, out _);
        if (url.Path.Length == 0)
        {
            ctx.Error(node, "url block without a path - ignoring");
            return null;
        }
        return url;
    }

    private static UrlConfig StatusCodes(BindContext ctx, ConfigNode n, UrlConfig c)
    {
        var ranges = new List<StatusCodeRange>();
        foreach (var arg in n.Args)
        {
            var dash = arg.IndexOf('-', StringComparison.Ordinal);
            var lowText = dash < 0 ? arg : arg[..dash];
            var highText = dash < 0 ? arg : arg[(dash + 1)..];
            if (!int.TryParse(lowText, NumberStyles.None, CultureInfo.InvariantCulture, out var low)
                || !int.TryParse(highText, NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                || low < 100 || high > 599 || low > high)
            {
                ctx.Error(n, $"invalid status code '{arg}' (100-599 or a range)");
                continue;
            }
            ranges.Add(new StatusCodeRange(low, high));
        }
        return ranges.Count == 0 ? c : c with { StatusCodes = ranges.ToEquatableArray() };
    }

    private static string? Hex(BindContext ctx, ConfigNode n, bool wildcard = false)
    {
        var text = string.Concat(n.Args).Replace(":", "", StringComparison.Ordinal);
        if (text.Length == 0 || text.Length % 2 != 0 || !text.All(ch => char.IsAsciiHexDigit(ch) || (wildcard && ch is 'x' or 'X')))
        {
            ctx.Error(n, $"invalid hex data '{string.Join(' ', n.Args)}' for '{n.Keyword}'");
            return null;
        }
        return text.ToLowerInvariant();
    }

    public static CheckerConfig? Bind(BindContext ctx, ConfigNode node, RealServerConfig rs)
    {
        CheckerConfig initial = node.Keyword switch
        {
            "HTTP_GET" => new HttpCheckConfig { Virtualhost = rs.Virtualhost },
            "SSL_GET" => new HttpCheckConfig { UseSsl = true, Virtualhost = rs.Virtualhost },
            "TCP_CHECK" => new TcpCheckConfig(),
            "SMTP_CHECK" => new SmtpCheckConfig(),
            "DNS_CHECK" => new DnsCheckConfig(),
            "MISC_CHECK" => new MiscCheckConfig { Path = "" },
            "PING_CHECK" => new PingCheckConfig(),
            "UDP_CHECK" => new UdpCheckConfig(),
            "FILE_CHECK" => new FileCheckConfig { TrackFile = "" },
            _ => new BfdCheckConfig { Name = "" },
        };
        initial = initial with
        {
            ConnectTimeout = rs.ConnectTimeout,
            DelayLoop = rs.DelayLoop,
            Alpha = rs.Alpha,
            Retry = rs.Retry ?? DefaultRetry(node.Keyword),
        };
        var checker = Maps[node.Keyword].Bind(ctx, node.Children, initial, out var seen);
        if (!seen.Contains("delay_before_retry"))
        {
            checker = checker with { DelayBeforeRetry = rs.DelayBeforeRetry ?? DefaultDelayBeforeRetry(node.Keyword, checker.DelayLoop) };
        }
        if (!seen.Contains("warmup"))
        {
            checker = checker with { Warmup = rs.Warmup ?? checker.DelayLoop };
        }
        switch (checker)
        {
            case MiscCheckConfig misc when misc.Path.Length == 0:
                ctx.Error(node, "MISC_CHECK without misc_path - ignoring");
                return null;
            case MiscCheckConfig misc when !seen.Contains("misc_timeout"):
                checker = misc with { Timeout = misc.DelayLoop };
                break;
            case FileCheckConfig file when file.TrackFile.Length == 0:
                ctx.Error(node, "FILE_CHECK without track_file - ignoring");
                return null;
            case BfdCheckConfig bfd when bfd.Name.Length == 0:
                ctx.Error(node, "BFD_CHECK without name - ignoring");
                return null;
            case HttpCheckConfig http when http.Urls.IsEmpty:
                ctx.Warning(node, $"{http.Keyword} has no url - checker ignored");
                return null;
        }
        return checker;
    }

    // keepalived compat: per-type defaults when neither the checker nor its real/virtual server sets them.
    private static int DefaultRetry(string keyword) => keyword switch
    {
        "DNS_CHECK" => 3,
        "MISC_CHECK" => 0,
        _ => 1,
    };

    private static TimeSpan DefaultDelayBeforeRetry(string keyword, TimeSpan delayLoop) => keyword switch
    {
        "HTTP_GET" or "SSL_GET" => TimeSpan.FromSeconds(3),
        "DNS_CHECK" => delayLoop,
        _ => TimeSpan.FromSeconds(1),
    };
}
