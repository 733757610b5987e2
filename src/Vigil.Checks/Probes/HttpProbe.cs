using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>
/// HTTP_GET and SSL_GET: every url must answer with an accepted status, the digest (if any) and the regex
/// rules (if any). While UP one run checks all urls in turn on fresh connections; while DOWN (recovering,
/// or alpha at start) one url is checked per run, delay_loop apart, unless fast_recovery.
/// </summary>
public sealed class HttpProbe : IStateAwareProbe
{
    private int _recoveryCursor;

    private readonly ProbeTarget _target;
    private readonly HttpCheckOptions _options;
    private readonly Regex?[] _regexes;
    private readonly TlsSettings? _tls;

    public HttpProbe(ProbeTarget target, HttpCheckOptions options)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Urls.Count == 0) throw new ArgumentException("HTTP_GET needs at least one url", nameof(options));
        _regexes = [.. options.Urls.Select(u => u.Regex is null ? null : new Regex(u.Regex, ToRegexOptions(u.RegexOptions), TimeSpan.FromSeconds(1)))];
        if (options.UseTls)
        {
            var sni = options.EnableSni ? options.SniName ?? options.VirtualHost ?? options.Urls[0].VirtualHost : null;
            _tls = new TlsSettings(sni, options.Ssl ?? SslOptions.Default);
        }
    }

    /// <summary>genhash's digest: MD5 of the body, lowercase hex.</summary>
#pragma warning disable CA5351 // MD5 is the digest keepalived's `digest` keyword holds; not used for security.
    public static string Digest(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(MD5.HashData(body));
#pragma warning restore CA5351

    public Task<CheckResult> RunAsync(CancellationToken cancellationToken) => RunUrlsAsync(0, _options.Urls.Count, cancellationToken);

    public async Task<CheckResult> RunAsync(bool checkerIsUp, CancellationToken cancellationToken)
    {
        if (checkerIsUp || _options.FastRecovery || _options.Urls.Count == 1)
        {
            _recoveryCursor = 0;
            return await RunAsync(cancellationToken).ConfigureAwait(false);
        }
        // keepalived compat: recovering checks one url per delay_loop; all must pass in a row.
        var index = _recoveryCursor;
        var result = await RunUrlsAsync(index, index + 1, cancellationToken).ConfigureAwait(false);
        if (!result.Success)
        {
            _recoveryCursor = 0;
            return result;
        }
        _recoveryCursor = index + 1;
        if (_recoveryCursor < _options.Urls.Count) return CheckResult.InProgress;
        _recoveryCursor = 0;
        return CheckResult.Ok;
    }

    /// <summary>One connection per url.</summary>
    public int Steps => _options.Urls.Count;

    private async Task<CheckResult> RunUrlsAsync(int from, int to, CancellationToken cancellationToken)
    {
        for (var i = from; i < to; i++)
        {
            // connect_timeout bounds each url's connection, as keepalived times each request.
            using var cts = _target.StartTimeout(cancellationToken);
            var url = _options.Urls[i];
            HttpResponse response;
            try
            {
                response = await HttpExchange.GetAsync(
                    _target, url.Path, _options.Protocol, url.VirtualHost ?? _options.VirtualHost, _tls, _options.MaxBodyBytes, cts.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A probe reports failures, it does not throw them.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return ProbeErrors.From(e, $"GET {url.Path} from {_target.Endpoint}", cancellationToken);
            }
            var verdict = Judge(url, _regexes[i], response);
            if (verdict is not null) return CheckResult.Fail($"GET {url.Path} from {_target.Endpoint}: {verdict}");
        }
        return CheckResult.Ok;
    }

    /// <summary>Null when the response satisfies the url block, else why not.</summary>
    internal static string? Judge(HttpUrl url, Regex? regex, HttpResponse response)
    {
        var codes = url.StatusCodes is { Count: > 0 } c ? c : StatusCodeRange.Default;
        if (!codes.Any(r => r.Contains(response.StatusCode)))
        {
            return response.StatusCode == 0 ? "no HTTP status line" : $"status {response.StatusCode.ToString(CultureInfo.InvariantCulture)} not accepted";
        }
        if (url.Digest is not null)
        {
            var digest = Digest(response.Body);
            if (!string.Equals(digest, url.Digest, StringComparison.OrdinalIgnoreCase)) return $"digest {digest} does not match {url.Digest}";
        }
        if (regex is not null)
        {
            var text = Encoding.Latin1.GetString(response.Body);
            var start = Math.Min(url.RegexMinOffset, text.Length);
            var match = regex.Match(text, start);
            var matched = match.Success && (url.RegexMaxOffset is not { } max || match.Index <= max);
            if (matched == url.RegexNoMatch) return url.RegexNoMatch ? "body matches regex_no_match" : "body does not match regex";
        }
        return null;
    }

    /// <summary>Maps the PCRE2 option words keepalived accepts to .NET options where there is one.</summary>
    internal static RegexOptions ToRegexOptions(IReadOnlyList<string>? words)
    {
        var options = RegexOptions.CultureInvariant;
        foreach (var w in words ?? [])
        {
            options |= w switch
            {
                "caseless" => RegexOptions.IgnoreCase,
                "multiline" => RegexOptions.Multiline,
                "dotall" => RegexOptions.Singleline,
                "extended" => RegexOptions.IgnorePatternWhitespace,
                "no_auto_capture" => RegexOptions.ExplicitCapture,
                _ => RegexOptions.None,
            };
        }
        return options;
    }
}
