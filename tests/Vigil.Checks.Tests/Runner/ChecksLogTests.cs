using Microsoft.Extensions.Logging;
using Vigil.Checks.Logging;
using Vigil.Checks.Quorum;
using Vigil.Checks.Runner;

namespace Vigil.Checks.Tests.Runner;

public class ChecksLogTests
{
    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, int Id, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, eventId.Id, formatter(state, exception)));
    }

    [Fact]
    public void Log_HealthAndQuorumEvents_WriteOneLineEach()
    {
        var logger = new ListLogger();
        var id = new RealServerId("[10.0.0.1]:tcp:80", "[10.0.0.2]:tcp:80");
        ChecksLog.Log(logger, new RealServerDown(id, "HTTP_GET", "status 503 not accepted"));
        ChecksLog.Log(logger, new RealServerUp(id, 3));
        ChecksLog.Log(logger, new QuorumDown("[10.0.0.1]:tcp:80", 0));
        Assert.Equal(
            [
                (LogLevel.Warning, 5002, "Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80: HTTP_GET failed: status 503 not accepted"),
                (LogLevel.Information, 5001, "Enabling service [10.0.0.2]:tcp:80 to VS [10.0.0.1]:tcp:80 (weight 3)"),
                (LogLevel.Warning, 5011, "Lost quorum (live weight 0) for VS [10.0.0.1]:tcp:80"),
            ],
            logger.Lines);
    }
}
