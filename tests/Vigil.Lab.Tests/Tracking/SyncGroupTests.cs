using Vigil.Testing;
using static Vigil.Lab.Tests.Tracking.TrackingConfigs;

namespace Vigil.Lab.Tests.Tracking;

/// <summary>vrrp_sync_group (seed 002): two instances move together and the group notify scripts run.</summary>
public sealed class SyncGroupTests
{
    private const string Vip1 = "10.77.0.100";
    private const string Vip2 = "10.77.0.101";

    private static string Config(string id, int priority, string check, string notifyMaster, string notifyBackup, string notifyFault) =>
        Global(id) + Script("chk", check, 0)
        + $"vrrp_sync_group G1 {{\n    group {{\n        VI_1\n        VI_2\n    }}\n    track_script {{\n        chk\n    }}\n"
        + $"    notify_master \"{notifyMaster} GROUP_MASTER\"\n    notify_backup \"{notifyBackup} GROUP_BACKUP\"\n    notify_fault \"{notifyFault} GROUP_FAULT\"\n}}\n\n"
        + Instance("VI_1", 51, priority, Vip1) + Instance("VI_2", 52, priority, Vip2);

    [Fact]
    public async Task OneMembersCheckFails_BothVipsMove_GroupNotifyScriptsRun()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var flag = lab.NewPath("down", "flag");
        var recordA = lab.NewPath("notify-a", "log");
        var recordB = lab.NewPath("notify-b", "log");
        var scriptA = RecorderScript(lab, "notify-a", recordA);
        var scriptB = RecorderScript(lab, "notify-b", recordB);
        lab.StartVigil(a, Config("a", 100, $"test ! -e {flag}", scriptA, scriptA, scriptA));
        lab.StartVigil(b, Config("b", 90, "/bin/true", scriptB, scriptB, scriptB));
        await lab.WaitForSoleHolderAsync(Vip1, a, Election(100), a, b);
        await lab.WaitForSoleHolderAsync(Vip2, a, TimeSpan.FromSeconds(2), a, b);
        await Poll.UntilAsync(() => ReadLines(recordA).Contains("GROUP_MASTER"), TimeSpan.FromSeconds(5), "a's group notify_master", lab.DiagnosticsAsync);

        await File.WriteAllTextAsync(flag, "", TestContext.Current.CancellationToken);
        await lab.WaitForSoleHolderAsync(Vip1, b, TimeSpan.FromSeconds(2) + Vrrp.Bounds.Margin, a, b);
        await lab.WaitForSoleHolderAsync(Vip2, b, TimeSpan.FromSeconds(2), a, b);
        await Poll.UntilAsync(() => ReadLines(recordA).Contains("GROUP_FAULT"), TimeSpan.FromSeconds(5), "a's group notify_fault", lab.DiagnosticsAsync);
        await Poll.UntilAsync(() => ReadLines(recordB).Contains("GROUP_MASTER"), TimeSpan.FromSeconds(5), "b's group notify_master", lab.DiagnosticsAsync);
        // One group notification per group transition, not one per member.
        Assert.Single(ReadLines(recordA), l => l == "GROUP_FAULT");
    }
}
