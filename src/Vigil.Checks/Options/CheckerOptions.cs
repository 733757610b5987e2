using System.Security.Cryptography.X509Certificates;

namespace Vigil.Checks.Options;

/// <summary>http_protocol: 1.0, 1.0C (1.0 plus Connection: close) or 1.1 (always sends Connection: close).</summary>
public enum HttpProtocol
{
    Http10,
    Http10Close,
    Http11,
}

/// <summary>One status_code term: a single code (From == To) or a range.</summary>
public readonly record struct StatusCodeRange(int From, int To)
{
    /// <summary>keepalived's default when no status_code is given: 200-299.</summary>
    public static IReadOnlyList<StatusCodeRange> Default { get; } = [new(200, 299)];

    public bool Contains(int code) => code >= From && code <= To;

    /// <summary>Parses "200" or "300-399".</summary>
    public static bool TryParse(string text, out StatusCodeRange range)
    {
        ArgumentNullException.ThrowIfNull(text);
        range = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var code)) return false;
            range = new(code, code);
            return true;
        }
        if (!int.TryParse(text.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture, out var from) ||
            !int.TryParse(text.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture, out var to) || to < from)
        {
            return false;
        }
        range = new(from, to);
        return true;
    }
}

/// <summary>One url block of HTTP_GET / SSL_GET.</summary>
/// <param name="Path">path.</param>
/// <param name="Digest">digest: lowercase hex MD5 of the body, as genhash prints it; null means not checked.</param>
/// <param name="StatusCodes">status_code terms; null or empty means 200-299.</param>
/// <param name="VirtualHost">virtualhost for this url (overrides the checker's).</param>
/// <param name="Regex">regex searched in the body (.NET syntax, close to PCRE2 for common patterns).</param>
/// <param name="RegexNoMatch">regex_no_match: a match fails the check.</param>
/// <param name="RegexOptions">regex_options words (caseless, multiline, dotall, extended, ungreedy is not supported).</param>
/// <param name="RegexMinOffset">regex_min_offset.</param>
/// <param name="RegexMaxOffset">regex_max_offset: last offset at which a match may start.</param>
public sealed record HttpUrl(
    string Path,
    string? Digest = null,
    IReadOnlyList<StatusCodeRange>? StatusCodes = null,
    string? VirtualHost = null,
    string? Regex = null,
    bool RegexNoMatch = false,
    IReadOnlyList<string>? RegexOptions = null,
    int RegexMinOffset = 0,
    int? RegexMaxOffset = null);

/// <summary>The SSL {} block (global in keepalived); all null means an auto-generated context.</summary>
/// <param name="CertificatePath">certificate: PEM client certificate.</param>
/// <param name="KeyPath">key: PEM private key (defaults to the certificate file).</param>
/// <param name="Password">password for an encrypted key.</param>
/// <param name="CaPath">ca: PEM bundle; used only when <see cref="VerifyPeer"/> is set.</param>
/// <param name="VerifyPeer">keepalived does not verify the server certificate; Vigil can, when asked.</param>
public sealed record SslOptions(
    string? CertificatePath = null,
    string? KeyPath = null,
    string? Password = null,
    string? CaPath = null,
    bool VerifyPeer = false)
{
    public static SslOptions Default { get; } = new();

    /// <summary>An already loaded client certificate (tests, or a lead that loads it once).</summary>
    public X509Certificate2? ClientCertificate { get; init; }
}

/// <summary>HTTP_GET and SSL_GET.</summary>
public sealed record HttpCheckOptions(
    IReadOnlyList<HttpUrl> Urls,
    bool UseTls = false,
    HttpProtocol Protocol = HttpProtocol.Http10,
    string? VirtualHost = null,
    bool EnableSni = false,
    string? SniName = null,
    bool FastRecovery = false,
    SslOptions? Ssl = null)
{
    /// <summary>Upper bound on the body kept for digest and regex, a guard against endless responses.</summary>
    public int MaxBodyBytes { get; init; } = 16 * 1024 * 1024;
}

/// <summary>SMTP_CHECK.</summary>
public sealed record SmtpCheckOptions(string HeloName = SmtpCheckOptions.DefaultHeloName)
{
    /// <summary>keepalived's default helo_name.</summary>
    public const string DefaultHeloName = "smtpchecker.keepalived.org";
}

/// <summary>DNS query types DNS_CHECK accepts.</summary>
public enum DnsQueryType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    RRSIG = 46,
    DNSKEY = 48,
}

/// <summary>DNS_CHECK: defaults SOA and ".".</summary>
public sealed record DnsCheckOptions(DnsQueryType Type = DnsQueryType.SOA, string Name = ".");

/// <summary>MISC_CHECK.</summary>
/// <param name="Path">misc_path: a command line, split into argv (through /bin/sh only if it needs a shell).</param>
/// <param name="Timeout">misc_timeout; null means delay_loop.</param>
/// <param name="Dynamic">misc_dynamic: exit codes 2..255 set the weight to code-2.</param>
/// <param name="User">user: run as this user (needs the executable's script runner).</param>
/// <param name="Group">the group of <paramref name="User"/>.</param>
public sealed record MiscCheckOptions(
    string Path,
    TimeSpan? Timeout = null,
    bool Dynamic = false,
    string? User = null,
    string? Group = null);

/// <summary>UDP_CHECK.</summary>
/// <param name="Payload">payload bytes; null means a random payload.</param>
/// <param name="RequireReply">require_reply given.</param>
/// <param name="ReplyPattern">the require_reply hex string, nibbles X are wildcards.</param>
/// <param name="MinReplyLength">min_reply_length (0).</param>
/// <param name="MaxReplyLength">max_reply_length (255).</param>
public sealed record UdpCheckOptions(
    byte[]? Payload = null,
    bool RequireReply = false,
    HexPattern? ReplyPattern = null,
    int MinReplyLength = 0,
    int MaxReplyLength = 255);

/// <summary>FILE_CHECK.</summary>
/// <param name="Path">the file of the named track_file.</param>
/// <param name="Weight">weight multiplier; 0 means "non-zero value fails".</param>
/// <param name="Reverse">reverse: negate the multiplier.</param>
/// <param name="Dynamic">dynamic: the product adjusts the real server weight.</param>
public sealed record FileCheckOptions(string Path, long Weight = 1, bool Reverse = false, bool Dynamic = false);
