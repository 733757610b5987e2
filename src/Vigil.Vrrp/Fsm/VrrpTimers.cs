using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp.Fsm;

/// <summary>The protocol timer formulas, in one place.</summary>
public static class VrrpTimers
{
    /// <summary>
    /// Skew_Time: v2 (256 - Priority) / 256 s [RFC 3768 §6.1]; v3 ((256 - Priority) * Master_Adver_Interval) / 256 [RFC 5798 §6.1].
    /// </summary>
    public static TimeSpan SkewTime(VrrpVersion version, int priority, TimeSpan masterAdvertInterval) =>
        version == VrrpVersion.V2
            ? TimeSpan.FromTicks((256 - priority) * TimeSpan.TicksPerSecond / 256)
            : TimeSpan.FromTicks((256 - priority) * masterAdvertInterval.Ticks / 256);

    /// <summary>
    /// Master_Down_Interval = down_timer_adverts (3 per the RFCs) * Master_Adver_Interval + Skew_Time
    /// [RFC 5798 §6.1]; keepalived compat: down_timer_adverts is configurable.
    /// </summary>
    public static TimeSpan MasterDownInterval(VrrpVersion version, int priority, TimeSpan masterAdvertInterval, int downTimerAdverts) =>
        (masterAdvertInterval * downTimerAdverts) + SkewTime(version, priority, masterAdvertInterval);
}
