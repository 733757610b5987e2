using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vigil.Checks.Tests.Fakes;

/// <summary>
/// A TCP server on 127.0.0.1 (ephemeral port) whose per-connection behaviour the test sets and can
/// change at any time; optionally TLS with a certificate made at test time.
/// </summary>
internal sealed class FakeTcpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Socket> _held = [];

    public FakeTcpServer(Func<Stream, CancellationToken, Task> handler, X509Certificate2? tls = null, bool acceptConnections = true, int backlog = 16, IPAddress? bind = null)
    {
        Handler = handler;
        Tls = tls;
        bind ??= IPAddress.Loopback;
        _listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(bind, 0));
        _listener.Listen(backlog);
        _acceptLoop = acceptConnections ? AcceptLoopAsync() : Task.CompletedTask;
    }

    public Func<Stream, CancellationToken, Task> Handler { get; set; }

    public X509Certificate2? Tls { get; }

    /// <summary>Ask TLS clients for a certificate (accepted whatever it is).</summary>
    public bool AskClientCertificate { get; set; }

    /// <summary>SNI names the TLS server saw.</summary>
    public List<string> SniNames { get; } = [];

    /// <summary>Requests (the header block) seen by <see cref="Http"/> handlers.</summary>
    public List<string> Requests { get; } = [];

    public int Connections;

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Fills the accept queue so further SYNs are dropped and connects hang (no accept loop).</summary>
    public static async Task<FakeTcpServer> NotAcceptingAsync()
    {
        var server = new FakeTcpServer((_, _) => Task.CompletedTask, acceptConnections: false, backlog: 0);
        for (var i = 0; i < 4; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try
            {
                s.Connect(server.Endpoint);
            }
            catch (SocketException)
            {
            }
            server._held.Add(s);
        }
        await Task.Delay(50);
        return server;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            Interlocked.Increment(ref Connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            Stream stream = new NetworkStream(client, ownsSocket: true);
            if (Tls is not null)
            {
                var ssl = new SslStream(stream, false);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ClientCertificateRequired = AskClientCertificate,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    ServerCertificateSelectionCallback = (_, name) =>
                    {
                        lock (SniNames) SniNames.Add(name ?? "");
                        return Tls;
                    },
                }, _stop.Token);
                stream = ssl;
            }
            await using (stream) await Handler(stream, _stop.Token);
        }
        catch (Exception)
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (var s in _held) s.Dispose();
        await _acceptLoop;
    }

    // ---- handlers ----

    /// <summary>Reads one HTTP request header block (recorded), then answers status, headers, body.</summary>
    public Func<Stream, CancellationToken, Task> Http(int status, string body, TimeSpan? delay = null, bool contentLength = true) =>
        async (stream, ct) =>
        {
            var request = await ReadHeaderAsync(stream, ct);
            lock (Requests) Requests.Add(request);
            if (delay is { } d) await Task.Delay(d, ct);
            var bodyBytes = Encoding.UTF8.GetBytes(body);
            var head = $"HTTP/1.0 {status} Whatever\r\nServer: fake\r\n" + (contentLength ? $"Content-Length: {bodyBytes.Length}\r\n" : "") + "\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
            await stream.WriteAsync(bodyBytes, ct);
        };

    /// <summary>Accepts, reads the request, and never answers (keeps the connection open).</summary>
    public static Func<Stream, CancellationToken, Task> HalfOpen() =>
        async (stream, ct) =>
        {
            await ReadHeaderAsync(stream, ct);
            await Task.Delay(Timeout.Infinite, ct);
        };

    /// <summary>Resets the connection (RST) as soon as the request arrives.</summary>
    public static Func<Stream, CancellationToken, Task> Reset() =>
        async (stream, ct) =>
        {
            await ReadHeaderAsync(stream, ct);
            var socket = ((NetworkStream)stream).Socket;
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        };

    /// <summary>Writes <paramref name="lines"/> one by one, each after reading a line (banner first).</summary>
    public static Func<Stream, CancellationToken, Task> Dialogue(string banner, params string[] replies) =>
        async (stream, ct) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(banner), ct);
            foreach (var reply in replies)
            {
                await ReadLineAsync(stream, ct);
                await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), ct);
            }
            await ReadLineAsync(stream, ct);
        };

    public static async Task<string> ReadHeaderAsync(Stream stream, CancellationToken ct)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (!sb.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && sb.Length < 65536)
        {
            if (await stream.ReadAsync(one, ct) == 0) break;
            sb.Append((char)one[0]);
        }
        return sb.ToString();
    }

    private static async Task ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var one = new byte[1];
        while (await stream.ReadAsync(one, ct) == 1 && one[0] != '\n')
        {
        }
    }

    /// <summary>A self-signed server certificate for <paramref name="name"/>, made now.</summary>
    public static X509Certificate2 SelfSigned(string name, bool expired = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var cert = expired
            ? request.CreateSelfSigned(now.AddDays(-30), now.AddDays(-1))
            : request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}
