using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Vigil.Config;

namespace Vigil.Alerts;

/// <summary>Where and how alert mails go (global_defs notification_email, smtp_server, ...).</summary>
/// <param name="Server">smtp_server: an address or a host name.</param>
/// <param name="RouterId">router_id, the "[...]" prefix of every subject.</param>
internal sealed record SmtpAlerterOptions(string Server, int Port, string HeloName, string From, IReadOnlyList<string> To, TimeSpan ConnectTimeout, string RouterId)
{
    /// <summary>The options of a configuration, or null when it sends no mail (no smtp_server or no notification_email).</summary>
    public static SmtpAlerterOptions? FromConfig(GlobalDefsConfig global, string hostName)
    {
        ArgumentNullException.ThrowIfNull(global);
        if (global.SmtpServer is not { Length: > 0 } server || global.NotificationEmail.Count == 0)
        {
            return null;
        }
        return new SmtpAlerterOptions(server, global.SmtpPort, global.SmtpHeloName ?? hostName,
            global.NotificationEmailFrom ?? "keepalived@" + hostName, [.. global.NotificationEmail],
            global.SmtpConnectTimeout > TimeSpan.Zero ? global.SmtpConnectTimeout : TimeSpan.FromSeconds(30), global.RouterId ?? hostName);
    }
}

/// <summary>
/// Sends alert mails off the caller's thread: <see cref="Post"/> stamps the message and returns at once (never
/// blocks the VRRP or checker loop); one consumer sends them in order, one connection per mail as keepalived
/// does. The queue is bounded: when the server is slow or down, new alerts are dropped and counted. Every
/// failed attempt is logged once, with the step that failed.
/// </summary>
internal sealed partial class SmtpAlerter : IAsyncDisposable
{
    /// <summary>Alerts waiting at most; a flapping service must not grow memory while the mail server is away.</summary>
    public const int Capacity = 128;

    private readonly SmtpAlerterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly OrderedWorkQueue _queue = new(Capacity);
    private readonly CancellationTokenSource _stop = new();
    private long _sent;
    private long _failed;
    private long _dropped;

    public SmtpAlerter(SmtpAlerterOptions options, TimeProvider time, ILogger log)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    /// <summary>An alerter for <paramref name="global"/>, or null when the configuration sends no mail.</summary>
    public static SmtpAlerter? Create(GlobalDefsConfig global, TimeProvider time, ILogger log) =>
        SmtpAlerterOptions.FromConfig(global, Environment.MachineName) is { } options ? new SmtpAlerter(options, time, log) : null;

    public SmtpAlerterOptions Options => _options;

    public string RouterId => _options.RouterId;

    public long Sent => Interlocked.Read(ref _sent);

    public long Failed => Interlocked.Read(ref _failed);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues a mail (returns at once); false when the queue is full or stopped (the alert is dropped and logged).</summary>
    public bool Post(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = BuildData(_options, message, _time.GetLocalNow());
        if (_queue.Post(() => SendAsync(message.Subject, data)))
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        LogDropped(_log, message.Subject);
        return false;
    }

    /// <summary>
    /// The DATA part as keepalived 2.2.7 writes it (observed): Date, From, Subject, X-Mailer, To, a blank line,
    /// the body line and a CRLF.
    /// </summary>
    internal static string BuildData(SmtpAlerterOptions options, AlertMessage message, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.Append("Date: ").Append(RfcDate(now)).Append("\r\n");
        text.Append("From: ").Append(options.From).Append("\r\n");
        text.Append("Subject: ").Append(message.Subject).Append("\r\n");
        // keepalived compat: mail filters written for keepalived's alerts match this header.
        text.Append("X-Mailer: Keepalived\r\n");
        text.Append("To: ").Append(string.Join(", ", options.To)).Append("\r\n");
        text.Append("\r\n");
        text.Append(message.Body).Append("\r\n");
        return text.ToString();
    }

    /// <summary>RFC 5322 §3.3 date-time: <c>Tue, 01 Dec 2026 14:15:32 +0000</c>.</summary>
    internal static string RfcDate(DateTimeOffset now)
    {
        var offset = now.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return now.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    private async Task SendAsync(string subject, string data)
    {
        var server = _options.Server;
        if (_stop.IsCancellationRequested)
        {
            // Stopping after the grace period: what is left is dropped, not tried.
            Interlocked.Increment(ref _dropped);
            return;
        }
        try
        {
            var address = await ResolveAsync(server).ConfigureAwait(false);
            var endpoint = new IPEndPoint(address, _options.Port);
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using (var connect = new CancellationTokenSource(_options.ConnectTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(connect.Token, _stop.Token))
            {
                try
                {
                    await socket.ConnectAsync(endpoint, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (connect.IsCancellationRequested && !_stop.IsCancellationRequested)
                {
                    throw new SmtpException($"connect: no answer within {_options.ConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                }
            }
            LogConnected(_log, address, _options.Port);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await SmtpSession.SendAsync(stream, _options.HeloName, _options.From, _options.To, data, _options.ConnectTimeout, _time, _stop.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _sent);
            LogSent(_log);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ArgumentException)
        {
            Interlocked.Increment(ref _failed);
            LogFailed(_log, server, _options.Port, e.Message, subject);
        }
    }

    private async Task<IPAddress> ResolveAsync(string server)
    {
        if (IPAddress.TryParse(server, out var address))
        {
            return address;
        }
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        var addresses = await Dns.GetHostAddressesAsync(server, linked.Token).ConfigureAwait(false);
        return addresses.Length > 0 ? addresses[0] : throw new SmtpException($"{server} has no address");
    }

    /// <summary>Lets queued mails go out (bounded by <paramref name="grace"/>), then abandons the rest.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _queue.Complete();
        using var timer = new CancellationTokenSource(grace, _time);
        try
        {
            await _queue.Completion.WaitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _queue.Completion.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "Remote SMTP server [{Address}]:{Port} connected.")]
    private static partial void LogConnected(ILogger logger, IPAddress address, int port);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Information, Message = "SMTP alert successfully sent.")]
    private static partial void LogSent(ILogger logger);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Error, Message = "SMTP alert to {Server}:{Port} failed: {Error} (subject '{Subject}')")]
    private static partial void LogFailed(ILogger logger, string server, int port, string error, string subject);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Warning, Message = "SMTP alert queue full, alert dropped (subject '{Subject}')")]
    private static partial void LogDropped(ILogger logger, string subject);
}
