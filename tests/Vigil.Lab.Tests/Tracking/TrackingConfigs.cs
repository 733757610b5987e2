using System.Globalization;
using System.Text;

namespace Vigil.Lab.Tests.Tracking;

/// <summary>keepalived.conf text for the tracking tests (one text for vigil and keepalived).</summary>
internal static class TrackingConfigs
{
    public static string Global(string routerId, string extra = "") =>
        $"global_defs {{\n    router_id {routerId}\n{extra}}}\n\n";

    public static string Script(string name, string line, int weight, string extra = "") =>
        string.Create(CultureInfo.InvariantCulture, $"vrrp_script {name} {{\n    script \"{line}\"\n    interval 1\n    weight {weight}\n{extra}}}\n\n");

    public static string Instance(string name, int vrid, int priority, string vip, string body = "")
    {
        var c = new StringBuilder();
        c.Append(CultureInfo.InvariantCulture, $"vrrp_instance {name} {{\n    state BACKUP\n    interface eth0\n    virtual_router_id {vrid}\n");
        c.Append(CultureInfo.InvariantCulture, $"    priority {priority}\n    advert_int 1\n{body}    virtual_ipaddress {{\n        {vip}/24\n    }}\n}}\n\n");
        return c.ToString();
    }

    /// <summary>A notify script that appends its arguments (one line per run) to <paramref name="output"/>.</summary>
    public static string RecorderScript(Testing.Lab lab, string name, string output)
    {
        var path = lab.WriteFile(name, "sh", $"#!/bin/sh\necho \"$@\" >> {output}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>Master_Down_Interval at advert_int 1 (v2) plus the lab margin; the bound for an election.</summary>
    public static TimeSpan Election(int priority) => TimeSpan.FromSeconds(3 + ((256 - priority) / 256.0)) + Vrrp.Bounds.Margin;

    public static string[] ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}
