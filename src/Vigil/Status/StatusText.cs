using System.Text;
using System.Text.Json;

namespace Vigil.Status;

/// <summary>The two renderings of a snapshot: JSON for tools, a table for people.</summary>
internal static class StatusText
{
    public static string ToJson(StatusSnapshot snapshot) =>
        JsonSerializer.Serialize(snapshot, StatusJsonContext.Default.StatusSnapshot);

    public static StatusSnapshot? FromJson(string json) =>
        JsonSerializer.Deserialize(json, StatusJsonContext.Default.StatusSnapshot);

    public static string ToTable(StatusSnapshot snapshot)
    {
        var text = new StringBuilder();
        text.AppendLine("VRRP instances");
        if (snapshot.Vrrp.Count == 0)
        {
            text.AppendLine("  (none)");
        }
        else
        {
            var rows = snapshot.Vrrp.Select(v => new[]
            {
                v.Name, v.State, v.Vrid.ToString(), v.Interface,
                v.EffectivePriority == v.BasePriority ? v.BasePriority.ToString() : $"{v.EffectivePriority} (base {v.BasePriority})",
                string.Join(' ', v.Vips),
            });
            AppendTable(text, ["NAME", "STATE", "VRID", "INTERFACE", "PRIORITY", "VIPS"], rows);
        }
        text.AppendLine();
        text.AppendLine("Virtual servers");
        if (snapshot.VirtualServers.Count == 0)
        {
            text.AppendLine("  (none)");
        }
        else
        {
            var rows = snapshot.VirtualServers.SelectMany(vs =>
                vs.RealServers.Count == 0
                    ? [[Endpoint(vs.Address, vs.Port) + "/" + vs.Protocol, "-", "-", "-"]]
                    : vs.RealServers.Select(rs => new[]
                    {
                        Endpoint(vs.Address, vs.Port) + "/" + vs.Protocol, Endpoint(rs.Address, rs.Port),
                        rs.Weight.ToString(), rs.Alive ? "alive" : "down",
                    }));
            AppendTable(text, ["VIRTUAL SERVER", "REAL SERVER", "WEIGHT", "HEALTH"], rows);
        }
        return text.ToString();
    }

    private static string Endpoint(string address, int port) =>
        address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:{port}" : $"{address}:{port}";

    private static void AppendTable(StringBuilder text, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            text.Append("  ");
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }
            text.AppendLine();
        }
    }
}
