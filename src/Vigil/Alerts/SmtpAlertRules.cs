using Vigil.Config;
using VrrpState = Vigil.Vrrp.Fsm.VrrpState;

namespace Vigil.Alerts;

/// <summary>
/// Whether a transition is mailed, as keepalived decides (keepalived.conf(5), and observed with 2.2.7): the
/// object's own smtp_alert wins; else global smtp_alert_vrrp / smtp_alert_checker; else global smtp_alert;
/// else VRRP instances, groups and virtual servers stay quiet and real servers mail.
/// </summary>
internal static class SmtpAlertRules
{
    public static bool Instance(GlobalDefsConfig global, VrrpInstanceConfig instance, VrrpState state) =>
        Vrrp(global, instance.SmtpAlert, state);

    public static bool Group(GlobalDefsConfig global, VrrpSyncGroupConfig group, VrrpState state) =>
        Vrrp(global, group.SmtpAlert, state);

    /// <summary>Quorum transitions of a virtual server.</summary>
    public static bool VirtualServer(GlobalDefsConfig global, VirtualServerConfig virtualServer) =>
        virtualServer.SmtpAlert ?? global.SmtpAlertChecker ?? global.SmtpAlert ?? false;

    /// <summary>
    /// Up/down of a real server. keepalived compat (observed): with no smtp_alert anywhere a real server mails;
    /// global smtp_alert_checker no (or smtp_alert no) silences the ones without their own smtp_alert.
    /// </summary>
    public static bool RealServer(GlobalDefsConfig global, RealServerConfig realServer) =>
        realServer.SmtpAlert ?? global.SmtpAlertChecker ?? global.SmtpAlert ?? true;

    private static bool Vrrp(GlobalDefsConfig global, bool? own, VrrpState state)
    {
        if (state is not (VrrpState.Master or VrrpState.Backup or VrrpState.Fault))
        {
            // keepalived compat (observed): neither INIT nor STOP (shutdown) is mailed.
            return false;
        }
        if (state == VrrpState.Fault && global.NoEmailFaults)
        {
            return false;
        }
        return own ?? global.SmtpAlertVrrp ?? global.SmtpAlert ?? false;
    }
}
