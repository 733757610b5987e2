using Microsoft.Extensions.Logging;
using Vigil.Checks.Quorum;
using Vigil.Checks.Runner;

namespace Vigil.Checks.Logging;

/// <summary>Log lines of the health checkers (event ids 5000-5099), worded close to keepalived's.</summary>
public static partial class ChecksLog
{
    /// <summary>Logs one health event at the level it deserves.</summary>
    public static void Log(ILogger logger, HealthEvent healthEvent)
    {
        ArgumentNullException.ThrowIfNull(healthEvent);
        switch (healthEvent)
        {
            case RealServerUp up:
                RealServerUp(logger, up.Server.RealServer, up.Server.VirtualServer, up.Weight);
                break;
            case RealServerDown down:
                RealServerDown(logger, down.Server.RealServer, down.Server.VirtualServer, down.Checker, down.Reason);
                break;
            case WeightChanged w:
                WeightChanged(logger, w.Server.RealServer, w.Server.VirtualServer, w.OldWeight, w.NewWeight);
                break;
            case CheckFailed f:
                if (f.WillRetry) CheckRetrying(logger, f.Checker, f.Server.RealServer, f.Reason);
                else CheckFailed(logger, f.Checker, f.Server.RealServer, f.Reason);
                break;
            case CheckerStateChanged c:
                CheckerStateChanged(logger, c.Checker, c.Server.RealServer, c.IsUp ? "UP" : "DOWN", c.Reason ?? "ok");
                break;
        }
    }

    /// <summary>Logs one quorum event.</summary>
    public static void Log(ILogger logger, QuorumEvent quorumEvent)
    {
        ArgumentNullException.ThrowIfNull(quorumEvent);
        switch (quorumEvent)
        {
            case QuorumUp up:
                QuorumUp(logger, up.VirtualServer, up.LiveWeight);
                break;
            case QuorumDown down:
                QuorumDown(logger, down.VirtualServer, down.LiveWeight);
                break;
            case SorryServerChanged s:
                SorryServer(logger, s.VirtualServer, s.Active ? "in" : "out of");
                break;
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Enabling service {RealServer} to VS {VirtualServer} (weight {Weight})")]
    private static partial void RealServerUp(ILogger logger, string realServer, string virtualServer, int weight);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Removing service {RealServer} from VS {VirtualServer}: {Checker} failed: {Reason}")]
    private static partial void RealServerDown(ILogger logger, string realServer, string virtualServer, string checker, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Changing weight of {RealServer} in VS {VirtualServer} from {OldWeight} to {NewWeight}")]
    private static partial void WeightChanged(ILogger logger, string realServer, string virtualServer, int oldWeight, int newWeight);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "{Checker} on {RealServer} failed, retrying: {Reason}")]
    private static partial void CheckRetrying(ILogger logger, string checker, string realServer, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "{Checker} on {RealServer} failed: {Reason}")]
    private static partial void CheckFailed(ILogger logger, string checker, string realServer, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "{Checker} on {RealServer} is {State} ({Reason})")]
    private static partial void CheckerStateChanged(ILogger logger, string checker, string realServer, string state, string reason);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Gained quorum {LiveWeight} for VS {VirtualServer}")]
    private static partial void QuorumUp(ILogger logger, string virtualServer, int liveWeight);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Lost quorum (live weight {LiveWeight}) for VS {VirtualServer}")]
    private static partial void QuorumDown(ILogger logger, string virtualServer, int liveWeight);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information, Message = "VS {VirtualServer}: sorry server {State} service")]
    private static partial void SorryServer(ILogger logger, string virtualServer, string state);
}
