using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Tests.Alerts;

/// <summary>One message the sink accepted: the greeting verb and name, the envelope and the DATA (dot-unstuffed, CRLF kept).</summary>
public sealed record SinkMessage(string Greeting, string HeloName, string From, IReadOnlyList<string> To, string Data);

/// <summary>How the sink misbehaves.</summary>
public enum SinkMode
{
    Normal,

    /// <summary>Accepts the connection and never says anything.</summary>
    Silent,

    /// <summary>Greets with 554 (service not available).</summary>
    RefuseGreeting,

    /// <summary>Closes the connection right after the greeting.</summary>
    CloseAfterGreeting,
}

/// <summary>
/// An in-process SMTP server on 127.0.0.1 (an ephemeral port) speaking enough SMTP for an alerting client:
/// HELO/EHLO, MAIL, RCPT, DATA, QUIT. Records each message; can be told to misbehave or to refuse recipients.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<SinkMessage> _messages = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly Task _accept;
    private int _connections;

    public SmtpSink(SinkMode mode = SinkMode.Normal)
    {
        Mode = mode;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public SinkMode Mode { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Recipients answered with 550.</summary>
    public ConcurrentDictionary<string, bool> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<SinkMessage> Messages => [.. _messages];

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Waits (polling, bounded) until <paramref name="count"/> messages arrived.</summary>
    public async Task<IReadOnlyList<SinkMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_messages.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.True(_messages.Count >= count, $"expected {count} messages, got {_messages.Count}");
        return Messages;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _sessions.Add(Task.Run(() => ServeAsync(client)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            async Task Reply(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"), _stop.Token);
            switch (Mode)
            {
                case SinkMode.Silent:
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                case SinkMode.RefuseGreeting:
                    await Reply("554 no service");
                    return;
                case SinkMode.CloseAfterGreeting:
                    await Reply("220 sink");
                    return;
            }
            // A multi-line greeting (RFC 5321 §4.2.1): the client must read to the last "220 " line.
            await Reply("220-sink ESMTP\r\n220 ready");
            string greeting = "", helo = "", from = "";
            var to = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "HELO" or "EHLO":
                        (greeting, helo) = (verb, line[4..].Trim());
                        await Reply(verb == "EHLO" ? "250-sink\r\n250 8BITMIME" : "250 sink");
                        break;
                    case "MAIL":
                        (from, to) = (line[10..].Trim(), []);
                        await Reply("250 OK");
                        break;
                    case "RCPT":
                        var rcpt = line[8..].Trim();
                        if (Refused.ContainsKey(rcpt.Trim('<', '>')))
                        {
                            await Reply("550 no such user");
                            break;
                        }
                        to.Add(rcpt);
                        await Reply("250 OK");
                        break;
                    case "DATA":
                        await Reply("354 go ahead");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } d && d != ".")
                        {
                            data.Append(d.StartsWith("..", StringComparison.Ordinal) ? d[1..] : d).Append("\r\n");
                        }
                        _messages.Enqueue(new SinkMessage(greeting, helo, from, to, data.ToString()));
                        await Reply("250 queued");
                        break;
                    case "QUIT":
                        await Reply("221 bye");
                        return;
                    default:
                        await Reply("502 not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the sink stops.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        await Task.WhenAll(_sessions);
        _stop.Dispose();
    }
}
