using System.Net.Sockets;
using System.Text;

namespace Vigil.Logging;

/// <summary>Where a formatted log line goes. Sinks are called under one lock, in order.</summary>
internal interface ILogSink : IDisposable
{
    void Write(LogLine line);
}

/// <summary>One log event, already rendered.</summary>
internal readonly record struct LogLine(DateTimeOffset Time, SyslogSeverity Severity, string Message);

/// <summary>syslog(3) severities, which is also how keepalived classifies its messages.</summary>
internal enum SyslogSeverity
{
    Emergency = 0,
    Alert = 1,
    Critical = 2,
    Error = 3,
    Warning = 4,
    Notice = 5,
    Info = 6,
    Debug = 7,
}

/// <summary>keepalived's console format (-l): "Tue Dec  1 11:11:28 2026: message".</summary>
internal sealed class TextWriterSink(TextWriter writer, bool ownsWriter) : ILogSink
{
    public void Write(LogLine line)
    {
        writer.Write(FormatTimestamp(line.Time));
        writer.Write(": ");
        writer.WriteLine(line.Message);
        writer.Flush();
    }

    // keepalived compat: ctime(3) layout, day of month padded with a space.
    internal static string FormatTimestamp(DateTimeOffset time) =>
        time.ToString("ddd MMM ", System.Globalization.CultureInfo.InvariantCulture)
        + time.Day.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(2)
        + time.ToString(" HH:mm:ss yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (ownsWriter)
        {
            writer.Dispose();
        }
    }
}

/// <summary>
/// RFC 3164 lines to the local syslog socket (/dev/log), as syslog(3) would write them. journald reads
/// the same socket, so this is also the journal path. A missing or full socket never blocks or throws:
/// the line is dropped and counted.
/// </summary>
internal sealed class SyslogSink : ILogSink
{
    /// <summary>Where the syslog socket is: /dev/log, or $VIGIL_SYSLOG_SOCKET (containers that mount it elsewhere, tests).</summary>
    public static string DefaultPath => Environment.GetEnvironmentVariable("VIGIL_SYSLOG_SOCKET") is { Length: > 0 } path ? path : "/dev/log";

    private readonly string _path;
    private readonly int _facility;
    private readonly string _tag;
    private Socket? _socket;

    public long Dropped { get; private set; }

    public SyslogSink(int facility, string tag, string? path = null)
    {
        _facility = facility;
        _tag = tag;
        _path = path ?? DefaultPath;
        _socket = Connect(_path);
    }

    /// <summary>LOG_DAEMON, keepalived's default facility.</summary>
    public const int FacilityDaemon = 3;

    /// <summary>keepalived's -S 0..7 selects LOG_LOCAL0..LOG_LOCAL7 (facility codes 16..23).</summary>
    public static int LocalFacility(int n) => 16 + n;

    internal static string Format(int facility, SyslogSeverity severity, string tag, int pid, string message) =>
        $"<{(facility * 8) + (int)severity}>{tag}[{pid}]: {message}";

    public void Write(LogLine line)
    {
        var bytes = Encoding.UTF8.GetBytes(Format(_facility, line.Severity, _tag, Environment.ProcessId, line.Message));
        if (TrySend(bytes))
        {
            return;
        }
        // The syslog daemon restarted (its socket was replaced) or was not up at start: connect again, once.
        _socket?.Dispose();
        _socket = Connect(_path);
        if (!TrySend(bytes))
        {
            Dropped++;
        }
    }

    private bool TrySend(byte[] bytes)
    {
        if (_socket is null)
        {
            return false;
        }
        try
        {
            _socket.Send(bytes);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static Socket? Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Blocking = false;
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    public void Dispose() => _socket?.Dispose();
}
