using System.Globalization;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Notify;

namespace Vigil.Alerts;

/// <summary>The subject and body of one alert mail.</summary>
internal sealed record AlertMessage(string Subject, string Body);

/// <summary>
/// keepalived's alert mail texts, as keepalived 2.2.7 sends them (observed against an SMTP sink: VRRP in a
/// network namespace, checkers inside User-Mode Linux with IPVS). The "[router_id]" prefix is keepalived's.
/// </summary>
internal static class AlertText
{
    /// <summary><c>[lb1] VRRP Instance VI_1 - Entering MASTER state</c>; null for states keepalived does not mail (INIT, STOP).</summary>
    public static AlertMessage? VrrpInstance(string routerId, string instance, VrrpState state) => state switch
    {
        VrrpState.Master => new($"[{routerId}] VRRP Instance {instance} - Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <="),
        VrrpState.Backup or VrrpState.Fault => new($"[{routerId}] VRRP Instance {instance} - Entering {VrrpNotifyFormat.StateName(state)} state",
            "=> VRRP Instance is no longer owning VRRP VIPs <="),
        _ => null,
    };

    /// <summary><c>[lb1] VRRP Group G1 - Entering MASTER state</c>; null for INIT and STOP.</summary>
    public static AlertMessage? VrrpGroup(string routerId, string group, VrrpState state) => state is VrrpState.Master or VrrpState.Backup or VrrpState.Fault
        ? new($"[{routerId}] VRRP Group {group} - Entering {VrrpNotifyFormat.StateName(state)} state",
            $"=> All VRRP group instances are now in {VrrpNotifyFormat.StateName(state)} state <=")
        : null;

    /// <summary>
    /// <c>[lb1] Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN</c>, the body naming the
    /// checker as keepalived does (<paramref name="checker"/> is the config keyword, e.g. TCP_CHECK or HTTP_GET#2).
    /// </summary>
    public static AlertMessage RealServer(string routerId, string realServer, string virtualServer, bool up, string? checker, string? reason) =>
        new($"[{routerId}] Realserver {realServer} of virtual server {virtualServer} - {(up ? "UP" : "DOWN")}", "=> " + CheckerPhrase(checker, up, reason) + " <=");

    /// <summary>
    /// <c>[lb1] Virtualserver [10.0.0.1]:tcp:80 - UP</c> with <c>=> Gained quorum 2+1=3 &lt;= 3 &lt;=</c>.
    /// keepalived compat: a lost quorum is written "Q+H=Q-H &lt;= live" (the plus sign with the lower threshold).
    /// </summary>
    public static AlertMessage VirtualServer(string routerId, string virtualServer, bool up, bool starting, int quorum, int hysteresis, int liveWeight)
    {
        var what = up ? (starting ? "Starting with quorum up" : "Gained quorum") : "Lost quorum";
        var threshold = up ? quorum + hysteresis : quorum - hysteresis;
        var body = string.Create(CultureInfo.InvariantCulture, $"=> {what} {quorum}+{hysteresis}={threshold} <= {liveWeight} <=");
        return new($"[{routerId}] Virtualserver {virtualServer} - {(up ? "UP" : "DOWN")}", body);
    }

    /// <summary>keepalived's phrase per checker. Observed: TCP, MISC, HTTP/SSL, SMTP, DNS, PING, UDP failures and TCP/MISC successes.</summary>
    internal static string CheckerPhrase(string? checker, bool up, string? reason)
    {
        var keyword = checker is null ? "" : checker.Split('#')[0];
        return (keyword, up) switch
        {
            ("TCP_CHECK", false) => "TCP CHECK failed on service",
            ("TCP_CHECK", true) => "TCP CHECK succeed on service",
            ("MISC_CHECK", false) => "MISC CHECK failed on service",
            ("MISC_CHECK", true) => "MISC CHECK succeeded on service",
            ("PING_CHECK", _) => $"ICMP CHECK {Outcome(up)} on service",
            ("UDP_CHECK", _) => $"UDP CHECK {Outcome(up)} on service",
            ("DNS_CHECK", _) => $"DNS_CHECK: {Outcome(up)} on service",
            ("FILE_CHECK", _) => $"FILE CHECK {Outcome(up)} on service",
            // keepalived compat: HTTP_GET, SSL_GET and SMTP_CHECK name no checker and append the reason on failure.
            (_, false) when reason is not null => $"CHECK failed on service : {reason}",
            _ => $"CHECK {Outcome(up)} on service",
        };
    }

    private static string Outcome(bool up) => up ? "succeed" : "failed";
}
