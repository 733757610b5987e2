using System.Net;
using Microsoft.Extensions.Logging;
using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp.Fsm;

/// <summary>VRRP router log messages; event ids 4000-4099 are stable.</summary>
internal static partial class VrrpLog
{
    // keepalived compat: operators grep for "Entering MASTER STATE", so the state is written in capitals.
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "({Name}) Entering {State} STATE ({Reason}, priority {Priority})")]
    private static partial void StateChanged(ILogger logger, string name, string state, VrrpTransitionReason reason, int priority);

    public static void StateChanged(ILogger logger, string name, VrrpState state, VrrpTransitionReason reason, int priority)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var text = Notify.VrrpNotifyFormat.StateName(state);
            StateChanged(logger, name, text, reason, priority);
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "({Name}) dropped packet from {Source}: {Reason}")]
    public static partial void PacketDropped(ILogger logger, string name, IPAddress? source, VrrpDropReason reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "({Name}) received lower priority ({Priority}) advert from {Source}, discarding")]
    public static partial void LowerPriorityDiscarded(ILogger logger, string name, int priority, IPAddress source);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "({Name}) received lower priority ({Priority}) advert from {Source} while MASTER, forcing new election")]
    public static partial void ForcingNewElection(ILogger logger, string name, int priority, IPAddress source);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "({Name}) advert from {Source} has a different address list ({Count} addresses), accepted")]
    public static partial void AddressListMismatch(ILogger logger, string name, IPAddress source, int count);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "({Name}) master {Source} sent priority 0")]
    public static partial void PriorityZeroReceived(ILogger logger, string name, IPAddress source);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "({Name}) {Adjustment}")]
    public static partial void OptionAdjusted(ILogger logger, string name, string adjustment);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "({Name}) effective priority changed from {Old} to {New}")]
    public static partial void PriorityChanged(ILogger logger, string name, int old, int @new);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "({Name}) master received higher priority ({Priority}) advert from {Source}")]
    public static partial void HigherPriorityAdvert(ILogger logger, string name, int priority, IPAddress source);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "({Name}) master down timer expired; held in BACKUP until every member of the sync group wants MASTER")]
    public static partial void TakeoverHeld(ILogger logger, string name);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "({Name}) reloaded in place: state kept, {Gained} address(es) added, {Lost} removed")]
    public static partial void Resumed(ILogger logger, string name, int gained, int lost);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "({Name}) adopting master {Source} advert interval {Interval}")]
    public static partial void AdoptingInterval(ILogger logger, string name, IPAddress source, TimeSpan interval);
}
