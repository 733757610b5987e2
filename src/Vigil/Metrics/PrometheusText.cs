using System.Globalization;
using System.Text;
using Vigil.Status;

namespace Vigil.Metrics;

/// <summary>One sample of a metric family beyond the status snapshot (counters, latency quantiles).</summary>
internal readonly record struct MetricSample(string Name, string Type, string Help, string Labels, double Value);

/// <summary>Renders a status snapshot in the Prometheus text exposition format (version 0.0.4).</summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>keepalived's numeric state codes, which exporters of its JSON already use.</summary>
    public static int StateCode(string state) => state switch
    {
        "INIT" => 0,
        "BACKUP" => 1,
        "MASTER" => 2,
        "FAULT" => 3,
        "DELETED" => 97,
        "STOP" => 98,
        _ => -1,
    };

    public static string Render(StatusSnapshot snapshot, IEnumerable<MetricSample>? extra = null)
    {
        var text = new StringBuilder();
        Family(text, "vigil_vrrp_state", "gauge", "VRRP instance state (0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 98 STOP)");
        foreach (var v in snapshot.Vrrp)
        {
            Sample(text, "vigil_vrrp_state", Labels(("instance", v.Name), ("vrid", v.Vrid.ToString(CultureInfo.InvariantCulture)), ("interface", v.Interface)), StateCode(v.State));
        }
        Family(text, "vigil_vrrp_priority", "gauge", "VRRP priority (kind=base|effective)");
        foreach (var v in snapshot.Vrrp)
        {
            Sample(text, "vigil_vrrp_priority", Labels(("instance", v.Name), ("kind", "base")), v.BasePriority);
            Sample(text, "vigil_vrrp_priority", Labels(("instance", v.Name), ("kind", "effective")), v.EffectivePriority);
        }
        Family(text, "vigil_vrrp_vips", "gauge", "Virtual addresses configured on the instance");
        foreach (var v in snapshot.Vrrp)
        {
            Sample(text, "vigil_vrrp_vips", Labels(("instance", v.Name)), v.Vips.Count);
        }
        Family(text, "vigil_real_server_alive", "gauge", "1 when every checker of the real server passes");
        Family(text, "vigil_real_server_weight", "gauge", "Weight programmed for the real server");
        foreach (var vs in snapshot.VirtualServers)
        {
            foreach (var rs in vs.RealServers)
            {
                var labels = Labels(
                    ("virtual_server", $"{vs.Address}:{vs.Port.ToString(CultureInfo.InvariantCulture)}"), ("protocol", vs.Protocol),
                    ("real_server", $"{rs.Address}:{rs.Port.ToString(CultureInfo.InvariantCulture)}"));
                Sample(text, "vigil_real_server_alive", labels, rs.Alive ? 1 : 0);
                Sample(text, "vigil_real_server_weight", labels, rs.Weight);
            }
        }
        if (extra is not null)
        {
            foreach (var group in extra.GroupBy(c => c.Name))
            {
                Family(text, group.Key, group.First().Type, group.First().Help);
                foreach (var c in group)
                {
                    Sample(text, c.Name, c.Labels, c.Value);
                }
            }
        }
        return text.ToString();
    }

    public static string Labels(params (string Name, string Value)[] labels) =>
        "{" + string.Join(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")) + "}";

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void Family(StringBuilder text, string name, string type, string help)
    {
        text.Append("# HELP ").Append(name).Append(' ').AppendLine(help);
        text.Append("# TYPE ").Append(name).Append(' ').AppendLine(type);
    }

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels).Append(' ').AppendLine(value.ToString(CultureInfo.InvariantCulture));
}
