using Vigil.Testing;
using static Vigil.Lab.Tests.Tracking.TrackingConfigs;

namespace Vigil.Lab.Tests.Tracking;

/// <summary>track_file (value x weight) and vrrp_track_process (presence in /proc) move the VIP.</summary>
public sealed class TrackFileProcessTests
{
    private const string Vip = Testing.Lab.Vip4;

    [Fact]
    public async Task TrackFile_ValueTimesWeightBelowBackup_VipMoves_AndBack()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var file = lab.NewPath("track", "value");
        // init_file writes 0 when the file is absent; weight 10: a value of -3 gives 100 - 30 = 70 < 90.
        var config = Global("a") + $"track_file tf {{\n    file {file}\n    weight 10\n    init_file\n}}\n\n"
            + Instance("VI_1", 51, 100, Vip, "    track_file {\n        tf\n    }\n");
        lab.StartVigil(a, config);
        lab.StartVigil(b, Global("b") + Instance("VI_1", 51, 90, Vip));
        await lab.WaitForSoleHolderAsync(Vip, a, Election(100), a, b);
        Assert.Equal("0", (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Trim());

        await File.WriteAllTextAsync(file, "-3\n", TestContext.Current.CancellationToken);
        await lab.WaitForSoleHolderAsync(Vip, b, TimeSpan.FromSeconds(1) + Election(90), a, b);

        await File.WriteAllTextAsync(file, "0\n", TestContext.Current.CancellationToken);
        await lab.WaitForSoleHolderAsync(Vip, a, TimeSpan.FromSeconds(1) + Election(100), a, b);
    }

    [Fact]
    public async Task TrackProcess_ProcessGone_Fault_BackupTakesOver()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        // A process with a distinctive comm: a copy of sleep under another name.
        var binary = lab.NewPath("vgltrk", "bin");
        File.Copy("/bin/sleep", binary);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var comm = Path.GetFileName(binary);
        comm = comm.Length > 15 ? comm[..15] : comm;
        var worker = lab.Start(a, "worker", binary, ["600"]);
        lab.StartVigil(a, Global("a") + $"vrrp_track_process tp {{\n    process {comm}\n    weight 0\n}}\n\n"
            + Instance("VI_1", 51, 100, Vip, "    track_process {\n        tp\n    }\n"));
        lab.StartVigil(b, Global("b") + Instance("VI_1", 51, 90, Vip));
        await lab.WaitForSoleHolderAsync(Vip, a, Election(100), a, b);

        await worker.KillAsync();
        // /proc is scanned every second; FAULT sends priority 0, so b takes over after its skew time.
        await lab.WaitForSoleHolderAsync(Vip, b, TimeSpan.FromSeconds(2) + Vrrp.Bounds.Margin, a, b);
    }
}
