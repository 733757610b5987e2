using Vigil.Testing;
using static Vigil.Lab.Tests.Tracking.TrackingConfigs;

namespace Vigil.Lab.Tests.Tracking;

/// <summary>track_interface: a tracked link going down is a FAULT (rtnetlink link events).</summary>
public sealed class TrackInterfaceTests
{
    private const string Vip = Testing.Lab.Vip4;

    [Fact]
    public async Task TrackedInterfaceDown_VipMovesToBackup_AndBackWhenUp()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        // An uplink on a, a veth pair inside its namespace (no dummy driver on every kernel).
        await a.IpAsync("link", "add", "up0", "type", "veth", "peer", "name", "up1");
        await a.IpAsync("link", "set", "up1", "up");
        await a.IpAsync("link", "set", "up0", "up");
        lab.StartVigil(a, Global("a") + Instance("VI_1", 51, 100, Vip, "    track_interface {\n        up0\n    }\n"));
        lab.StartVigil(b, Global("b") + Instance("VI_1", 51, 90, Vip));
        await lab.WaitForSoleHolderAsync(Vip, a, Election(100), a, b);

        await a.IpAsync("link", "set", "up0", "down");
        await lab.WaitForSoleHolderAsync(Vip, b, TimeSpan.FromSeconds(1) + Vrrp.Bounds.Margin, a, b);

        await a.IpAsync("link", "set", "up0", "up");
        await lab.WaitForSoleHolderAsync(Vip, a, Election(100), a, b);
    }
}
