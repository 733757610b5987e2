using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>A raw HTTP/1.x response as keepalived sees it: the header block as sent, and the body bytes.</summary>
/// <param name="StatusCode">From the status line; 0 when it could not be read.</param>
/// <param name="Header">The header block, up to and including the empty line.</param>
/// <param name="Body">The bytes after the header block, until the server closed (or Content-Length).</param>
public sealed record HttpResponse(int StatusCode, byte[] Header, byte[] Body)
{
    /// <summary>Sizes of the body pieces as they were read (genhash -v dumps each read on its own).</summary>
    public IReadOnlyList<int> BodyReads { get; init; } = Body.Length == 0 ? [] : [Body.Length];

    /// <summary>The first body piece came in the same read as the end of the header block.</summary>
    public bool BodyStartedWithHeader { get; init; }
}

/// <summary>
/// A small HTTP/1.x client over a socket with keepalived's request shape (observed from keepalived 2.2.7):
/// <c>GET path HTTP/1.x</c>, <c>User-Agent: KeepAliveClient</c>, <c>Connection: close</c> for 1.0C and 1.1,
/// and <c>Host:</c> the virtualhost or <c>ip:port</c>. The body is read until the server closes
/// and is not de-chunked, so digests match genhash's.
/// </summary>
public static class HttpExchange
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    /// <summary>The request text keepalived sends.</summary>
    public static string BuildRequest(string path, HttpProtocol protocol, string host)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sb = new StringBuilder();
        sb.Append("GET ").Append(path).Append(protocol == HttpProtocol.Http11 ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n");
        sb.Append("User-Agent: KeepAliveClient\r\n");
        if (protocol != HttpProtocol.Http10) sb.Append("Connection: close\r\n");
        sb.Append("Host: ").Append(host).Append("\r\n\r\n");
        return sb.ToString();
    }

    /// <summary>The default Host header: <c>ip:port</c>, IPv6 in brackets.</summary>
    public static string DefaultHost(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{endpoint.Address}]:{endpoint.Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{endpoint.Address}:{endpoint.Port}");
    }

    /// <summary>Connects (with TLS if asked), sends one GET and reads the response.</summary>
    public static async Task<HttpResponse> GetAsync(
        ProbeTarget target,
        string path,
        HttpProtocol protocol,
        string? virtualHost,
        TlsSettings? tls,
        int maxBodyBytes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var socket = await target.ConnectTcpAsync(cancellationToken).ConfigureAwait(false);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(tls.ClientOptions(), cancellationToken).ConfigureAwait(false);
            }
            var request = Encoding.ASCII.GetBytes(BuildRequest(path, protocol, virtualHost ?? DefaultHost(target.Endpoint)));
            await stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return await ReadResponseAsync(stream, maxBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads a header block and then the body until EOF, Content-Length or the limit.</summary>
    public static async Task<HttpResponse> ReadResponseAsync(Stream stream, int maxBodyBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        var headerLength = -1;
        long? contentLength = null;
        var reads = new List<int>();
        var startedWithHeader = false;
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (headerLength >= 0)
            {
                // keepalived compat: a reset after the response started ends the body (servers often RST on close).
                break;
            }
            if (n == 0) break;
            buffer.Write(chunk, 0, n);
            if (headerLength >= 0)
            {
                reads.Add(n);
            }
            else
            {
                var end = buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf(HeaderEnd);
                if (end >= 0)
                {
                    headerLength = end + HeaderEnd.Length;
                    contentLength = ContentLength(buffer.GetBuffer().AsSpan(0, headerLength));
                    var rest = (int)buffer.Length - headerLength;
                    if (rest > 0)
                    {
                        reads.Add(rest);
                        startedWithHeader = true;
                    }
                }
                else if (buffer.Length > 64 * 1024)
                {
                    throw new InvalidDataException("HTTP header block too long");
                }
            }
            if (headerLength >= 0)
            {
                var body = buffer.Length - headerLength;
                if (contentLength is { } cl && body >= cl) break;
                if (body >= maxBodyBytes) break;
            }
        }
        if (headerLength < 0) throw new InvalidDataException(buffer.Length == 0 ? "empty response" : "incomplete HTTP header");

        var all = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var header = all[..headerLength].ToArray();
        var bodyBytes = all[headerLength..];
        if (contentLength is { } len && bodyBytes.Length > len) bodyBytes = bodyBytes[..(int)len];
        if (bodyBytes.Length > maxBodyBytes) bodyBytes = bodyBytes[..maxBodyBytes];
        return new HttpResponse(StatusCode(header), header, bodyBytes.ToArray())
        {
            BodyReads = TrimReads(reads, bodyBytes.Length),
            BodyStartedWithHeader = startedWithHeader,
        };
    }

    private static List<int> TrimReads(List<int> reads, int total)
    {
        var result = new List<int>(reads.Count);
        foreach (var r in reads)
        {
            if (total <= 0) break;
            result.Add(Math.Min(r, total));
            total -= r;
        }
        return result;
    }

    /// <summary>The status code of "HTTP/1.x NNN reason"; 0 when absent.</summary>
    public static int StatusCode(ReadOnlySpan<byte> header)
    {
        var lineEnd = header.IndexOf("\r\n"u8);
        var line = lineEnd >= 0 ? header[..lineEnd] : header;
        if (!line.StartsWith("HTTP/"u8)) return 0;
        var space = line.IndexOf((byte)' ');
        if (space < 0 || line.Length < space + 4) return 0;
        var digits = line.Slice(space + 1, 3);
        var code = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9') return 0;
            code = (code * 10) + (d - '0');
        }
        return code;
    }

    private static long? ContentLength(ReadOnlySpan<byte> header)
    {
        foreach (var line in Encoding.Latin1.GetString(header).Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            return long.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        return null;
    }
}

/// <summary>TLS for SSL_GET and genhash.</summary>
/// <param name="ServerName">SNI name, or null to send none.</param>
/// <param name="Ssl">Client certificate and verification settings.</param>
public sealed record TlsSettings(string? ServerName, SslOptions Ssl)
{
    internal SslClientAuthenticationOptions ClientOptions()
    {
        var options = new SslClientAuthenticationOptions
        {
            // An empty target host sends no SNI.
            TargetHost = ServerName ?? string.Empty,
        };
        if (!Ssl.VerifyPeer)
        {
            // keepalived compat: SSL_GET does not verify the server's certificate.
#pragma warning disable CA5359 // Deliberate: health checks of self-signed backends, as keepalived.
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (Ssl.CaPath is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(Ssl.CaPath);
            options.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }
        var certificate = Ssl.ClientCertificate ?? LoadClientCertificate();
        if (certificate is not null) options.ClientCertificates = [certificate];
        return options;
    }

    private X509Certificate2? LoadClientCertificate()
    {
        if (Ssl.CertificatePath is null) return null;
        return Ssl.Password is { } password
            ? X509Certificate2.CreateFromEncryptedPemFile(Ssl.CertificatePath, password, Ssl.KeyPath)
            : X509Certificate2.CreateFromPemFile(Ssl.CertificatePath, Ssl.KeyPath);
    }
}
