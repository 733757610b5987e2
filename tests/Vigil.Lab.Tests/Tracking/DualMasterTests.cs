using System.Globalization;
using System.Text;
using Vigil.Testing;
using static Vigil.Lab.Tests.Tracking.TrackingConfigs;

namespace Vigil.Lab.Tests.Tracking;

/// <summary>Seed 000 §2.5.1: two instances in a dual-master pair, one VIP master on each node, labelled eth0:0 / eth0:1.</summary>
public sealed class DualMasterTests
{
    private const string Vip1 = Testing.Lab.Vip4;
    private const string Vip2 = "10.77.0.101";

    private static string Instance(string name, int vrid, int priority, string vip, string label)
    {
        var c = new StringBuilder();
        c.Append(CultureInfo.InvariantCulture, $"vrrp_instance {name} {{\n    state BACKUP\n    interface eth0\n    virtual_router_id {vrid}\n");
        c.Append(CultureInfo.InvariantCulture, $"    priority {priority}\n    advert_int 1\n    virtual_ipaddress {{\n        {vip}/24 dev eth0 label {label}\n    }}\n}}\n\n");
        return c.ToString();
    }

    private static async Task<string> LabelOfAsync(LabHost host, string vip)
    {
        var lines = (await host.IpAsync("-o", "-4", "addr", "show", "dev", "eth0")).Stdout.Split('\n');
        var line = lines.FirstOrDefault(l => l.Contains($" {vip}/", StringComparison.Ordinal)) ?? "";
        // ip -o ends the address part with a backslash: "... secondary eth0:0\       valid_lft ...".
        return line.Replace('\\', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(w => w.StartsWith("eth0", StringComparison.Ordinal)) ?? "";
    }

    [Fact]
    public async Task DualMaster_OneVipOnEachNodeWithItsLabel_BothMoveToTheSurvivor()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        // VI_1 prefers a, VI_2 prefers b; each node carries both instances.
        var onA = lab.StartVigil(a, Global("a") + Instance("VI_1", 51, 150, Vip1, "eth0:0") + Instance("VI_2", 52, 100, Vip2, "eth0:1"));
        lab.StartVigil(b, Global("b") + Instance("VI_1", 51, 100, Vip1, "eth0:0") + Instance("VI_2", 52, 150, Vip2, "eth0:1"));

        await lab.WaitForSoleHolderAsync(Vip1, a, Election(100), a, b);
        await lab.WaitForSoleHolderAsync(Vip2, b, Election(100), a, b);
        Assert.Equal("eth0:0", await LabelOfAsync(a, Vip1));
        Assert.Equal("eth0:1", await LabelOfAsync(b, Vip2));
        // Both stay where they are: no flapping between the two masters.
        await lab.SoleHolderHoldsForAsync(Vip1, a, TimeSpan.FromSeconds(4), a, b);
        Assert.True(await b.HasAddressAsync(Vip2));

        // a stops (priority 0 for VI_1): b takes VI_1 within the skew time and keeps VI_2.
        await onA.StopAsync();
        await lab.WaitForSoleHolderAsync(Vip1, b, TimeSpan.FromSeconds(1) + Vrrp.Bounds.Margin, a, b);
        Assert.True(await b.HasAddressAsync(Vip2));
        Assert.Equal("eth0:0", await LabelOfAsync(b, Vip1));
        Assert.Equal("eth0:1", await LabelOfAsync(b, Vip2));
    }
}
