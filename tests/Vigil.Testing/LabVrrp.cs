using System.Globalization;
using System.Text;

namespace Vigil.Testing;

/// <summary>
/// keepalived.conf text for VRRP lab scenarios (the same text feeds keepalived and vigil) and the
/// protocol's timing bounds that lab deadlines are derived from.
/// </summary>
public static class LabVrrp
{
    /// <summary>Skew_Time = ((256 - Priority) * Advertisement_Interval) / 256  [RFC 3768 §6.1, RFC 5798 §6.1].</summary>
    public static TimeSpan SkewTime(int priority, TimeSpan advertInterval) =>
        TimeSpan.FromTicks((256 - priority) * advertInterval.Ticks / 256);

    /// <summary>Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time  [RFC 3768 §6.1, RFC 5798 §6.1].</summary>
    public static TimeSpan MasterDownInterval(int priority, TimeSpan advertInterval) =>
        3 * advertInterval + SkewTime(priority, advertInterval);

    /// <summary>
    /// One vrrp_instance block. <paramref name="vips"/> are "10.77.0.100/24" or "fd77::100/64"; keepalived
    /// picks the address family from them. <paramref name="extra"/> lines go inside the block verbatim.
    /// </summary>
    public static string Instance(string name = "VI_1", string state = "BACKUP", string iface = "eth0", int virtualRouterId = 77,
        int priority = 100, double advertInt = 1, IEnumerable<string>? vips = null, bool nopreempt = false,
        IEnumerable<string>? extra = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"vrrp_instance {name} {{\n");
        text.Append(CultureInfo.InvariantCulture, $"    state {state}\n");
        text.Append(CultureInfo.InvariantCulture, $"    interface {iface}\n");
        text.Append(CultureInfo.InvariantCulture, $"    virtual_router_id {virtualRouterId}\n");
        text.Append(CultureInfo.InvariantCulture, $"    priority {priority}\n");
        text.Append(CultureInfo.InvariantCulture, $"    advert_int {advertInt.ToString("0.###", CultureInfo.InvariantCulture)}\n");
        if (nopreempt)
        {
            text.Append("    nopreempt\n");
        }
        foreach (var line in extra ?? [])
        {
            text.Append("    ").Append(line).Append('\n');
        }
        text.Append("    virtual_ipaddress {\n");
        foreach (var vip in vips ?? [Lab.Vip4 + "/24"])
        {
            text.Append("        ").Append(vip).Append('\n');
        }
        text.Append("    }\n}\n");
        return text.ToString();
    }

    /// <summary>A global_defs block with a router_id and extra lines (e.g. "vrrp_version 3").</summary>
    public static string GlobalDefs(string routerId, IEnumerable<string>? extra = null)
    {
        var text = new StringBuilder();
        text.Append("global_defs {\n");
        text.Append(CultureInfo.InvariantCulture, $"    router_id {routerId}\n");
        foreach (var line in extra ?? [])
        {
            text.Append("    ").Append(line).Append('\n');
        }
        text.Append("}\n");
        return text.ToString();
    }
}
