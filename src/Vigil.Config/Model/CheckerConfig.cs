using System.Net;

namespace Vigil.Config;

/// <summary>What every checker block shares (check_api.c's keywords), with values inherited
/// virtual server -> real server -> checker, and per-type defaults for retry and delay_before_retry.</summary>
public abstract record CheckerConfig
{
    public IPAddress? ConnectIp { get; init; }

    public int? ConnectPort { get; init; }

    public IPAddress? BindTo { get; init; }

    public int? BindPort { get; init; }

    public string? BindInterface { get; init; }

    public int? Fwmark { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public int Retry { get; init; } = 1;

    public TimeSpan DelayBeforeRetry { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan DelayLoop { get; init; } = TimeSpan.FromSeconds(60);

    public bool Alpha { get; init; }

    public bool LogAllFailures { get; init; }

    /// <summary>The block keyword: HTTP_GET, TCP_CHECK, ...</summary>
    public abstract string Keyword { get; }
}

/// <summary>url { path; digest; status_code; virtualhost; regex ... } of HTTP_GET / SSL_GET.</summary>
public sealed record UrlConfig
{
    public required string Path { get; init; }

    public string? Digest { get; init; }

    /// <summary>Ranges of accepted codes; 200-299 when none written.</summary>
    public EquatableArray<StatusCodeRange> StatusCodes { get; init; } = EquatableArray.Create(new StatusCodeRange(200, 299));

    public string? Virtualhost { get; init; }

    public string? Regex { get; init; }

    public bool RegexNoMatch { get; init; }

    public EquatableArray<string> RegexOptions { get; init; } = EquatableArray<string>.Empty;

    public int? RegexMinOffset { get; init; }

    public int? RegexMaxOffset { get; init; }

    public int? RegexStack { get; init; }
}

public readonly record struct StatusCodeRange(int Low, int High)
{
    public override string ToString() => Low == High ? Low.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Low}-{High}";
}

/// <summary>HTTP_GET and SSL_GET.</summary>
public sealed record HttpCheckConfig : CheckerConfig
{
    public bool UseSsl { get; init; }

    public EquatableArray<UrlConfig> Urls { get; init; } = EquatableArray<UrlConfig>.Empty;

    /// <summary>1.0, 1.0C or 1.1.</summary>
    public string HttpProtocol { get; init; } = "1.0";

    public string? Virtualhost { get; init; }

    public bool EnableSni { get; init; }

    public string? SniName { get; init; }

    public bool FastRecovery { get; init; }

    public bool TlsCompliant { get; init; }

    public override string Keyword => UseSsl ? "SSL_GET" : "HTTP_GET";
}

public sealed record TcpCheckConfig : CheckerConfig
{
    public override string Keyword => "TCP_CHECK";
}

public sealed record SmtpCheckConfig : CheckerConfig
{
    public string? HeloName { get; init; }

    public override string Keyword => "SMTP_CHECK";
}

public sealed record DnsCheckConfig : CheckerConfig
{
    public string Type { get; init; } = "SOA";

    public string Name { get; init; } = ".";

    public override string Keyword => "DNS_CHECK";
}

public sealed record MiscCheckConfig : CheckerConfig
{
    public required string Path { get; init; }

    /// <summary>Defaults to delay_loop.</summary>
    public TimeSpan Timeout { get; init; }

    public bool Dynamic { get; init; }

    public string? User { get; init; }

    public string? Group { get; init; }

    public override string Keyword => "MISC_CHECK";
}

public sealed record PingCheckConfig : CheckerConfig
{
    public override string Keyword => "PING_CHECK";
}

public sealed record UdpCheckConfig : CheckerConfig
{
    public string? Payload { get; init; }

    public string? RequireReply { get; init; }

    public int MinReplyLength { get; init; }

    public int MaxReplyLength { get; init; } = 255;

    public override string Keyword => "UDP_CHECK";
}

public sealed record FileCheckConfig : CheckerConfig
{
    public required string TrackFile { get; init; }

    public bool Dynamic { get; init; }

    public int Weight { get; init; }

    public bool WeightReverse { get; init; }

    public override string Keyword => "FILE_CHECK";
}

public sealed record BfdCheckConfig : CheckerConfig
{
    public required string Name { get; init; }

    public override string Keyword => "BFD_CHECK";
}
