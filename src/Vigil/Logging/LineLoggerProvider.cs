using Microsoft.Extensions.Logging;

namespace Vigil.Logging;

/// <summary>
/// A small logger provider: every message becomes one line to each sink (console, syslog, file), the way
/// keepalived logs. Detailed mode (-D) lets Debug through; otherwise Information and above.
/// </summary>
internal sealed class LineLoggerProvider(IReadOnlyList<ILogSink> sinks, TimeProvider time, bool detailed) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new LineLogger(this);

    internal void Write(LogLevel level, string message)
    {
        var line = new LogLine(time.GetLocalNow(), ToSeverity(level), message);
        lock (_gate)
        {
            foreach (var sink in sinks)
            {
                sink.Write(line);
            }
        }
    }

    internal bool IsEnabled(LogLevel level) =>
        level != LogLevel.None && level >= (detailed ? LogLevel.Debug : LogLevel.Information);

    internal static SyslogSeverity ToSeverity(LogLevel level) => level switch
    {
        LogLevel.Critical => SyslogSeverity.Critical,
        LogLevel.Error => SyslogSeverity.Error,
        LogLevel.Warning => SyslogSeverity.Warning,
        LogLevel.Information => SyslogSeverity.Info,
        _ => SyslogSeverity.Debug,
    };

    public void Dispose()
    {
        foreach (var sink in sinks)
        {
            sink.Dispose();
        }
    }

    private sealed class LineLogger(LineLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => owner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = $"{message}: {exception.GetType().Name}: {exception.Message}";
            }
            owner.Write(logLevel, message);
        }
    }
}
