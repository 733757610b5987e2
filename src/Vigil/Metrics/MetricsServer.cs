using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Vigil.Metrics;

/// <summary>
/// A minimal HTTP/1.0 responder for GET /metrics. Prometheus needs nothing more, and a full web stack
/// would double the binary. One request per connection, bounded request size and time.
/// </summary>
internal sealed partial class MetricsServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 4096;
    private readonly TcpListener _listener;
    private readonly Func<string> _render;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    private MetricsServer(TcpListener listener, Func<string> render, ILogger log)
    {
        _listener = listener;
        _render = render;
        _log = log;
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Parses ADDR:PORT ("127.0.0.1:9650", "[::1]:9650", ":9650" for any address).</summary>
    public static bool TryParseEndpoint(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (text.StartsWith(':') && int.TryParse(text.AsSpan(1), out var anyPort) && anyPort is > 0 and < 65536)
        {
            endpoint = new IPEndPoint(IPAddress.IPv6Any, anyPort);
            return true;
        }
        if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port > 0)
        {
            endpoint = parsed;
            return true;
        }
        return false;
    }

    public static MetricsServer Start(IPEndPoint endpoint, Func<string> render, ILogger log)
    {
        var listener = new TcpListener(endpoint);
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            listener.Server.DualMode = true;
        }
        listener.Start();
        return new MetricsServer(listener, render, log);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                _ = Task.Run(() => ServeAsync(client));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                // Dispose stopped the listener between the loop's check and the accept.
                return;
            }
            catch (SocketException e) when (!_stop.IsCancellationRequested)
            {
                LogAcceptFailed(_log, e.SocketErrorCode);
            }
            catch (SocketException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var buffer = new byte[MaxRequestBytes];
                var length = 0;
                while (length < buffer.Length)
                {
                    var n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }
                    length += n;
                    if (Encoding.ASCII.GetString(buffer, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        break;
                    }
                }
                var response = Respond(Encoding.ASCII.GetString(buffer, 0, length));
                await client.SendAsync(response, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                LogClientFailed(_log, e.Message);
            }
        }
    }

    internal byte[] Respond(string request)
    {
        var requestLine = request.Split("\r\n", 2)[0].Split(' ');
        if (requestLine.Length < 2 || requestLine[0] != "GET")
        {
            return Reply("405 Method Not Allowed", "text/plain", "only GET\n");
        }
        return requestLine[1] is "/metrics" or "/"
            ? Reply("200 OK", PrometheusText.ContentType, _render())
            : Reply("404 Not Found", "text/plain", "try /metrics\n");
    }

    private static byte[] Reply(string status, string contentType, string body)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.0 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. bodyBytes];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 910, Level = LogLevel.Warning, Message = "metrics: accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 911, Level = LogLevel.Debug, Message = "metrics: client failed: {Error}")]
    private static partial void LogClientFailed(ILogger logger, string error);
}
