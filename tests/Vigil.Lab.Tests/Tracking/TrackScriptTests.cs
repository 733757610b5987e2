using Vigil.Testing;
using static Vigil.Lab.Tests.Tracking.TrackingConfigs;

namespace Vigil.Lab.Tests.Tracking;

/// <summary>track_script on vigil nodes: a weighted check moves the VIP by priority, an unweighted one by FAULT.</summary>
public sealed class TrackScriptTests
{
    private const string Vip = Testing.Lab.Vip4;

    // The check fails while the flag file exists (no shell needed: `test` is found on PATH).
    private static string Check(string flag) => $"test ! -e {flag}";

    [Fact]
    public async Task WeightMinus30_CheckFails_BackupTwentyBelowTakesOver_AndBackOnRecovery()
    {
        // Seed 000 §2.3.3: master 100 with weight -30, backup 80: a failing check gives 70 < 80.
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var flag = lab.NewPath("nginx-down", "flag");
        lab.StartVigil(a, Global("a") + Script("chk_nginx", Check(flag), -30) + Instance("VI_1", 51, 100, Vip, "    track_script {\n        chk_nginx\n    }\n"));
        lab.StartVigil(b, Global("b") + Instance("VI_1", 51, 80, Vip));
        await lab.WaitForSoleHolderAsync(Vip, a, Election(100), a, b);

        await File.WriteAllTextAsync(flag, "", TestContext.Current.CancellationToken);
        // One script interval to notice, then b (80) sees adverts at 70 and preempts after its master down interval.
        await lab.WaitForSoleHolderAsync(Vip, b, TimeSpan.FromSeconds(2) + Election(80), a, b);

        File.Delete(flag);
        // a is back at 100 and preempts b.
        await lab.WaitForSoleHolderAsync(Vip, a, TimeSpan.FromSeconds(2) + Election(100), a, b);
    }

    [Fact]
    public async Task Unweighted_CheckFails_Fault_BackupTakesOver()
    {
        // Seed 003: a check script without weight: nginx down puts the master in FAULT.
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var flag = lab.NewPath("nginx-down", "flag");
        var vigilA = lab.StartVigil(a, Global("a") + Script("chk_nginx", Check(flag), 0, "    fall 2\n    rise 1\n")
            + Instance("VI_1", 51, 100, Vip, "    track_script {\n        chk_nginx\n    }\n"));
        lab.StartVigil(b, Global("b") + Instance("VI_1", 51, 90, Vip));
        await lab.WaitForSoleHolderAsync(Vip, a, Election(100), a, b);

        await File.WriteAllTextAsync(flag, "", TestContext.Current.CancellationToken);
        // fall 2 = two failed runs; FAULT sends priority 0, so b takes over after its skew time.
        await lab.WaitForSoleHolderAsync(Vip, b, TimeSpan.FromSeconds(3) + Vrrp.Bounds.Margin, a, b);
        await vigilA.Process.WaitForOutputAsync(new System.Text.RegularExpressions.Regex("Entering FAULT STATE", System.Text.RegularExpressions.RegexOptions.IgnoreCase), TimeSpan.FromSeconds(5));

        File.Delete(flag);
        await lab.WaitForSoleHolderAsync(Vip, a, TimeSpan.FromSeconds(2) + Election(100), a, b);
    }
}
