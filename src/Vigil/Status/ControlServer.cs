using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Vigil.Status;

/// <summary>
/// The control socket: a unix stream socket, one request line per connection ("status" or "status json"),
/// answered and closed. Owner root, mode 0600 unless told otherwise, so only root asks.
/// </summary>
internal sealed partial class ControlServer : IAsyncDisposable
{
    public const string DefaultPath = "/run/vigil/vigil.sock";
    private const int MaxRequestBytes = 256;

    private readonly Socket _listener;
    private readonly string _path;
    private readonly Func<StatusSnapshot> _snapshot;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private ControlServer(Socket listener, string path, Func<StatusSnapshot> snapshot, ILogger log)
    {
        _listener = listener;
        _path = path;
        _snapshot = snapshot;
        _log = log;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Binds the socket. A live socket at the path (another daemon) is a clear error; a stale one is replaced.</summary>
    public static ControlServer Start(string path, Func<StatusSnapshot> snapshot, ILogger log, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (File.Exists(path))
        {
            if (IsLive(path))
            {
                throw new InvalidOperationException($"control socket {path} is in use by another daemon; use --control-socket to choose another path");
            }
            File.Delete(path);
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, mode);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new ControlServer(listener, path, snapshot, log);
    }

    private static bool IsLive(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                // Dispose closed the listener between the loop's check and the accept.
                return;
            }
            catch (SocketException e) when (!_stop.IsCancellationRequested)
            {
                LogAcceptFailed(_log, e.SocketErrorCode);
                continue;
            }
            catch (SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
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
                var request = await ReadLineAsync(client, timeout.Token).ConfigureAwait(false);
                var reply = Answer(request);
                await client.SendAsync(Encoding.UTF8.GetBytes(reply), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                LogClientFailed(_log, e.Message);
            }
        }
    }

    internal string Answer(string request) => request.Trim() switch
    {
        "status json" => StatusText.ToJson(_snapshot()),
        "status" => StatusText.ToTable(_snapshot()),
        var other => $"error: unknown request '{other}'\n",
    };

    private static async Task<string> ReadLineAsync(Socket client, CancellationToken token)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, token).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            length += n;
            if (Array.IndexOf(buffer, (byte)'\n', 0, length) >= 0)
            {
                break;
            }
        }
        return Encoding.UTF8.GetString(buffer, 0, length).Split('\n')[0];
    }

    /// <summary>The client side, for `vigil status`.</summary>
    public static async Task<string> QueryAsync(string path, string request, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cts.Token).ConfigureAwait(false);
        await socket.SendAsync(Encoding.UTF8.GetBytes(request + "\n"), SocketFlags.None, cts.Token).ConfigureAwait(false);
        var reply = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false)) > 0)
        {
            reply.Write(buffer, 0, n);
        }
        return Encoding.UTF8.GetString(reply.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "control socket: accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 901, Level = LogLevel.Debug, Message = "control socket: client failed: {Error}")]
    private static partial void LogClientFailed(ILogger logger, string error);
}
