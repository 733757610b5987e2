using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vigil.Logging;

namespace Vigil.Tests.Logging;

public class LogFormatTests
{
    [Fact]
    public void ConsoleTimestamp_HasCtimeLayout_WithSpacePaddedDay()
    {
        var time = new DateTimeOffset(2026, 12, 1, 11, 11, 28, TimeSpan.Zero);
        Assert.Equal("Tue Dec  1 11:11:28 2026", TextWriterSink.FormatTimestamp(time));
        Assert.Equal("Fri Dec 11 09:05:07 2026", TextWriterSink.FormatTimestamp(time.AddDays(10).AddHours(-2).AddMinutes(-6).AddSeconds(-21)));
    }

    [Fact]
    public void SyslogLine_EncodesFacilityAndSeverityInPri()
    {
        // local0 (16) * 8 + info (6) = 134; daemon (3) * 8 + warning (4) = 28
        Assert.Equal("<134>Keepalived_vrrp[42]: hello", SyslogSink.Format(SyslogSink.LocalFacility(0), SyslogSeverity.Info, "Keepalived_vrrp", 42, "hello"));
        Assert.Equal("<28>vigil[7]: x", SyslogSink.Format(SyslogSink.FacilityDaemon, SyslogSeverity.Warning, "vigil", 7, "x"));
    }

    [Fact]
    public void Provider_WritesOneLinePerMessage_AndHidesDebugUnlessDetailed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var output = new StringWriter();
        using (var provider = new LineLoggerProvider([new TextWriterSink(output, ownsWriter: false)], time, detailed: false))
        {
            var logger = provider.CreateLogger("x");
            logger.Log(LogLevel.Information, "(VI_1) Entering MASTER STATE");
            logger.Log(LogLevel.Debug, "hidden");
        }
        Assert.Equal("Tue Dec  1 11:00:00 2026: (VI_1) Entering MASTER STATE" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Provider_Detailed_LetsDebugThrough()
    {
        var output = new StringWriter();
        using var provider = new LineLoggerProvider([new TextWriterSink(output, ownsWriter: false)], TimeProvider.System, detailed: true);
        provider.CreateLogger("x").Log(LogLevel.Debug, "detail");
        Assert.EndsWith(": detail" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void SyslogSink_WithoutSocket_DropsAndCountsInsteadOfThrowing()
    {
        using var sink = new SyslogSink(SyslogSink.FacilityDaemon, "vigil", "/nonexistent/dev/log");
        sink.Write(new LogLine(DateTimeOffset.UnixEpoch, SyslogSeverity.Info, "x"));
        Assert.Equal(1, sink.Dropped);
    }

    [Fact]
    public void SyslogSink_SocketReplaced_ConnectsAgainAndDeliversToTheNewOne()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-syslog-");
        try
        {
            var path = Path.Combine(dir.FullName, "log");
            var first = Listen(path);
            using var sink = new SyslogSink(SyslogSink.LocalFacility(3), "vigil", path);
            sink.Write(new LogLine(DateTimeOffset.UnixEpoch, SyslogSeverity.Info, "one"));
            Assert.EndsWith("]: one", Receive(first), StringComparison.Ordinal);

            // The syslog daemon restarts: its socket file is replaced by a new one.
            first.Dispose();
            File.Delete(path);
            using var second = Listen(path);
            sink.Write(new LogLine(DateTimeOffset.UnixEpoch, SyslogSeverity.Warning, "two"));
            Assert.StartsWith("<" + ((19 * 8) + 4) + ">vigil[", Receive(second), StringComparison.Ordinal);
            Assert.Equal(0, sink.Dropped);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static System.Net.Sockets.Socket Listen(string path)
    {
        var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        s.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        s.ReceiveTimeout = 5000;
        return s;
    }

    private static string Receive(System.Net.Sockets.Socket s)
    {
        var buffer = new byte[2048];
        var n = s.Receive(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, n);
    }
}
