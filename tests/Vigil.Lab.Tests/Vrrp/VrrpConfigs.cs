using System.Globalization;
using System.Text;

namespace Vigil.Lab.Tests.Vrrp;

/// <summary>keepalived.conf text for the interop tests; the same text is given to vigil and keepalived.</summary>
internal sealed record VrrpInstanceSpec
{
    public string Name { get; init; } = "VI_1";
    public string State { get; init; } = "BACKUP";
    public string Interface { get; init; } = "eth0";
    public int Vrid { get; init; } = 51;
    public int Priority { get; init; } = 100;
    public string AdvertInt { get; init; } = "1";
    public int Version { get; init; } = 2;
    public string? AuthPass { get; init; }
    public bool Nopreempt { get; init; }
    public string[] Vips { get; init; } = [$"{Testing.Lab.Vip4}/24"];
    public string? UnicastSource { get; init; }
    public string[] UnicastPeers { get; init; } = [];

    public string ToConfig(string routerId)
    {
        var c = new StringBuilder();
        c.Append(CultureInfo.InvariantCulture, $"global_defs {{\n    router_id {routerId}\n    vrrp_version {Version}\n}}\n\n");
        c.Append(CultureInfo.InvariantCulture, $"vrrp_instance {Name} {{\n");
        c.Append(CultureInfo.InvariantCulture, $"    state {State}\n    interface {Interface}\n    virtual_router_id {Vrid}\n");
        c.Append(CultureInfo.InvariantCulture, $"    priority {Priority}\n    advert_int {AdvertInt}\n");
        if (Nopreempt)
        {
            c.Append("    nopreempt\n");
        }
        if (AuthPass is not null)
        {
            c.Append(CultureInfo.InvariantCulture, $"    authentication {{\n        auth_type PASS\n        auth_pass {AuthPass}\n    }}\n");
        }
        if (UnicastSource is not null)
        {
            c.Append(CultureInfo.InvariantCulture, $"    unicast_src_ip {UnicastSource}\n    unicast_peer {{\n");
            foreach (var peer in UnicastPeers)
            {
                c.Append(CultureInfo.InvariantCulture, $"        {peer}\n");
            }
            c.Append("    }\n");
        }
        c.Append("    virtual_ipaddress {\n");
        foreach (var vip in Vips)
        {
            c.Append(CultureInfo.InvariantCulture, $"        {vip}\n");
        }
        c.Append("    }\n}\n");
        return c.ToString();
    }

    /// <summary>RFC 3768 §6.1 / RFC 5798 §6.1: Skew_Time for this priority.</summary>
    public TimeSpan SkewTime => Version == 2
        ? TimeSpan.FromSeconds((256 - Priority) / 256.0)
        : TimeSpan.FromSeconds((256 - Priority) * AdvertInterval.TotalSeconds / 256.0);

    public TimeSpan AdvertInterval => TimeSpan.FromSeconds(double.Parse(AdvertInt, CultureInfo.InvariantCulture));

    /// <summary>Master_Down_Interval = 3 x Master_Adver_Interval + Skew_Time.</summary>
    public TimeSpan MasterDownInterval => (3 * AdvertInterval) + SkewTime;
}

internal static class Bounds
{
    /// <summary>Slack for a shared two-core machine: process start, netlink, polling period.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(3);

    /// <summary>A BACKUP start waits one Master_Down_Interval before it may become master.</summary>
    public static TimeSpan Election(VrrpInstanceSpec spec) => spec.MasterDownInterval + Margin;

    /// <summary>A stable state is watched for this long before the test says it is stable.</summary>
    public static TimeSpan Stable(VrrpInstanceSpec spec) => (3 * spec.AdvertInterval) + TimeSpan.FromSeconds(1);
}
