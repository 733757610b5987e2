using Vigil.Testing;
using static Vigil.Lab.Tests.Tracking.TrackingConfigs;

namespace Vigil.Lab.Tests.Tracking;

/// <summary>
/// notify arguments and notify FIFO lines: the same configuration run by keepalived 2.2.7 and by vigil, and
/// what the scripts and the FIFO reader recorded compared line by line (start, MASTER, stop).
/// </summary>
public sealed class NotifyCompatTests
{
    private const string Vip = Testing.Lab.Vip4;

    private sealed record Recorded(string[] Notify, string[] StateScripts, string[] Fifo);

    private static async Task<Recorded> RunAsync(bool keepalived)
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var notifyLog = lab.NewPath("notify", "log");
        var stateLog = lab.NewPath("state", "log");
        var fifoLog = lab.NewPath("fifo", "log");
        var fifo = lab.NewPath("notify", "fifo");
        await lab.RunAsync("mkfifo", [fifo]);
        lab.Start(a, "fifo-reader", "/bin/sh", ["-c", $"exec cat {fifo} > {fifoLog}"]);
        var notify = RecorderScript(lab, "notify", notifyLog);
        var state = RecorderScript(lab, "state", stateLog);
        var config = Global("a", $"    vrrp_notify_fifo {fifo}\n")
            + Instance("VI_1", 51, 100, Vip,
                $"    notify {notify}\n    notify_master \"{state} master\"\n    notify_backup \"{state} backup\"\n    notify_stop \"{state} stop\"\n");
        var daemon = keepalived ? lab.StartKeepalived(a, config) : lab.StartVigil(a, config);
        await a.WaitForAddressAsync(Vip, Election(100));
        await Poll.UntilAsync(() => ReadLines(notifyLog).Length >= 2, TimeSpan.FromSeconds(5), "two notify runs", lab.DiagnosticsAsync);
        Assert.True(await daemon.StopAsync(), "the daemon should stop on SIGTERM");
        await Poll.UntilAsync(() => ReadLines(notifyLog).Length >= 3 && ReadLines(fifoLog).Length >= 3, TimeSpan.FromSeconds(5), "the STOP notifications", lab.DiagnosticsAsync);
        var recorded = new Recorded(ReadLines(notifyLog), ReadLines(stateLog), ReadLines(fifoLog));
        TestContext.Current.TestOutputHelper?.WriteLine($"{(keepalived ? "keepalived" : "vigil")}: notify [{string.Join(" | ", recorded.Notify)}] state [{string.Join(" | ", recorded.StateScripts)}] fifo [{string.Join(" | ", recorded.Fifo)}]");
        return recorded;
    }

    [Fact]
    public async Task NotifyArgumentsAndFifoLines_EqualKeepalived()
    {
        var reference = await RunAsync(keepalived: true);
        var vigil = await RunAsync(keepalived: false);
        Assert.Equal(reference.Notify, vigil.Notify);
        Assert.Equal(reference.StateScripts, vigil.StateScripts);
        Assert.Equal(reference.Fifo, vigil.Fifo);
    }
}
