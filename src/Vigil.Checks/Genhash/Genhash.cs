using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;

namespace Vigil.Checks.Genhash;

/// <summary>genhash's options (-s -p -u -S -I -V -P -t -m -v).</summary>
/// <param name="Server">-s: server address.</param>
/// <param name="Port">-p: port (80, or 443 with -S, when null).</param>
/// <param name="Url">-u: path.</param>
/// <param name="UseSsl">-S.</param>
/// <param name="UseSni">-I: send the virtualhost as SNI.</param>
/// <param name="VirtualHost">-V: Host header (and SNI with -I).</param>
/// <param name="Protocol">-P: 1.0, 1.0c, 1.1.</param>
/// <param name="Timeout">-t: seconds (5 by default).</param>
/// <param name="Verbose">-v: dump headers, body and hash in hex as genhash does.</param>
/// <param name="Fwmark">-m: needs the socket configurator.</param>
public sealed record GenhashRequest(
    IPAddress Server,
    int? Port,
    string Url,
    bool UseSsl = false,
    bool UseSni = false,
    string? VirtualHost = null,
    HttpProtocol Protocol = HttpProtocol.Http10,
    TimeSpan? Timeout = null,
    bool Verbose = false,
    uint? Fwmark = null);

/// <summary>
/// keepalived's genhash: GET the url and print the MD5 of the body, which is what a digest line holds.
/// The output format was observed from keepalived 2.2.7 (-T): quiet mode prints only the digest;
/// -v adds hex dumps framed by the same banners and the response time.
/// </summary>
public static class Genhash
{
    /// <summary>Runs genhash; returns the process exit code (0, as keepalived, also on a failed connection).</summary>
    public static async Task<int> RunAsync(GenhashRequest request, TextWriter output, SocketConfigurator? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var endpoint = new IPEndPoint(request.Server, request.Port ?? (request.UseSsl ? 443 : 80));
        var timeout = request.Timeout ?? TimeSpan.FromSeconds(5);
        var target = new ProbeTarget(endpoint, new ConnectOptions(Fwmark: request.Fwmark), timeout, configure);
        var tls = request.UseSsl ? new TlsSettings(request.UseSni ? request.VirtualHost : null, SslOptions.Default) : null;
        var started = Stopwatch.GetTimestamp();

        HttpResponse? response = null;
        using (var cts = target.StartTimeout(cancellationToken))
        {
            try
            {
                response = await HttpExchange.GetAsync(target, request.Url, request.Protocol, request.VirtualHost, tls, int.MaxValue, cts.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Every failure is a line of output, as genhash prints it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                await output.WriteLineAsync(e is OperationCanceledException && !cancellationToken.IsCancellationRequested ? "Timeout" : "Connection failed").ConfigureAwait(false);
            }
        }

        if (response is not null)
        {
            var digest = HttpProbe.Digest(response.Body);
            if (request.Verbose)
            {
                await output.WriteAsync(Banner("HTTP Header Buffer")).ConfigureAwait(false);
                await output.WriteAsync(HexDump(response.Header)).ConfigureAwait(false);
                await output.WriteAsync(Banner("HTTP Header Ascii Buffer")).ConfigureAwait(false);
                await output.WriteAsync(Encoding.Latin1.GetString(response.Header)).ConfigureAwait(false);
                await output.WriteAsync('\n').ConfigureAwait(false);
                // keepalived compat: the banner appears only when body bytes came with the header block,
                // and every read is dumped on its own with offsets from 0.
                if (response.BodyStartedWithHeader) await output.WriteAsync(Banner("HTML Buffer")).ConfigureAwait(false);
                var offset = 0;
                foreach (var read in response.BodyReads)
                {
                    await output.WriteAsync(HexDump(response.Body.AsSpan(offset, read))).ConfigureAwait(false);
                    offset += read;
                }
                await output.WriteAsync('\n').ConfigureAwait(false);
                await output.WriteAsync(Banner("HTML hash resulting")).ConfigureAwait(false);
                await output.WriteAsync(HexDump(Convert.FromHexString(digest))).ConfigureAwait(false);
                await output.WriteAsync(Banner("HTML hash final resulting")).ConfigureAwait(false);
            }
            await output.WriteLineAsync(digest).ConfigureAwait(false);
        }
        if (request.Verbose)
        {
            var micros = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Global response time for [{request.Url}] = {micros} usecs")).ConfigureAwait(false);
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>A banner line as genhash prints it: the title with ceil((26 - length) / 2) blanks on each side.</summary>
    public static string Banner(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var pad = new string(' ', Math.Max(0, (26 - title.Length + 1) / 2));
        return $"-----------------------[{pad}{title}{pad}]-----------------------\n";
    }

    /// <summary>
    /// genhash's hex dump: decimal offset, 16 bytes as "xx " with "- " after the 8th slot, two blanks,
    /// then the bytes as ASCII (dot for unprintable) padded to 16.
    /// </summary>
    public static string HexDump(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder();
        for (var offset = 0; offset < data.Length; offset += 16)
        {
            var line = data.Slice(offset, Math.Min(16, data.Length - offset));
            sb.Append(offset.ToString("D4", CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                sb.Append(i < line.Length ? line[i].ToString("x2", CultureInfo.InvariantCulture) + " " : "   ");
                if (i == 7) sb.Append("- ");
            }
            sb.Append("  ");
            for (var i = 0; i < 16; i++) sb.Append(i < line.Length ? (line[i] is >= 0x20 and < 0x7f ? (char)line[i] : '.') : ' ');
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
