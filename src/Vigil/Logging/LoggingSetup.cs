using Microsoft.Extensions.Logging;
using Vigil.Cli;

namespace Vigil.Logging;

/// <summary>Turns keepalived's logging flags (-l -D -S -g -G) into sinks.</summary>
internal static class LoggingSetup
{
    // keepalived compat: -g without a file name logs to /tmp/keepalived.log.
    public const string DefaultLogFile = "/tmp/keepalived.log";

    public static IReadOnlyList<ILogSink> Sinks(DaemonOptions options, TextWriter console)
    {
        var sinks = new List<ILogSink>();
        if (options.LogConsole)
        {
            sinks.Add(new TextWriterSink(console, ownsWriter: false));
        }
        if (!options.NoSyslog)
        {
            var facility = options.LogFacility is { } n ? SyslogSink.LocalFacility(n) : SyslogSink.FacilityDaemon;
            sinks.Add(new SyslogSink(facility, "Keepalived"));
        }
        if (options.LogFile is { } file)
        {
            var path = file.Length == 0 ? DefaultLogFile : file;
            var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            sinks.Add(new TextWriterSink(writer, ownsWriter: true));
        }
        return sinks;
    }

    public static ILoggerFactory Create(DaemonOptions options, TextWriter console, TimeProvider time)
    {
        var provider = new LineLoggerProvider(Sinks(options, console), time, options.LogDetail);
        return LoggerFactory.Create(builder =>
        {
            builder.ClearProviders();
            builder.SetMinimumLevel(options.LogDetail ? LogLevel.Debug : LogLevel.Information);
            builder.AddProvider(provider);
        });
    }
}
