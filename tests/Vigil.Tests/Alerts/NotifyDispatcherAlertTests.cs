using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Config;
using Vigil.Vrrp;
using Vigil.Vrrp.Fsm;
using VrrpState = Vigil.Vrrp.Fsm.VrrpState;

namespace Vigil.Tests.Alerts;

/// <summary>NotifyDispatcher's mails and notify_master_rx_lower_pri (one class: the dispatcher registers itself as the current one).</summary>
public sealed class NotifyDispatcherAlertTests
{
    private static GlobalDefsConfig Global(SmtpSink sink, string? fifo = null) => new()
    {
        RouterId = "lbk",
        SmtpServer = "127.0.0.1",
        SmtpPort = sink.Port,
        SmtpHeloName = "helo.test",
        NotificationEmailFrom = "vigil@lab.test",
        NotificationEmail = new EquatableArray<string>(new[] { "a@x.test" }),
        SmtpAlert = true,
        VrrpNotifyFifo = fifo is null ? null : new NotifyFifoConfig(fifo, null, null, null),
    };

    private static NotifyDispatcher Create(GlobalDefsConfig global, RecordingScriptRunner runner) =>
        new(global, new TrackingScripts(global, NullLogger.Instance), runner, NullLogger.Instance);

    private static VrrpStateChange Change(VrrpState from, VrrpState to, int priority = 100) =>
        new("VI_1", from, to, priority, default, TimeSpan.Zero);

    private static string Subject(SinkMessage m) =>
        m.Data.Split("\r\n").Single(l => l.StartsWith("Subject: ", StringComparison.Ordinal))["Subject: ".Length..];

    [Fact]
    public async Task Instance_BackupMasterStop_MailsBackupAndMasterButNotStop()
    {
        await using var sink = new SmtpSink();
        var dispatcher = Create(Global(sink), new RecordingScriptRunner());
        var instance = new VrrpInstanceConfig { Name = "VI_1" };

        dispatcher.Instance(instance, Change(VrrpState.Init, VrrpState.Backup));
        dispatcher.Instance(instance, Change(VrrpState.Backup, VrrpState.Master));
        dispatcher.Instance(instance, Change(VrrpState.Master, VrrpState.Stop));
        await dispatcher.DisposeAsync(); // drains the mail queue

        Assert.Equal(["[lbk] VRRP Instance VI_1 - Entering BACKUP state", "[lbk] VRRP Instance VI_1 - Entering MASTER state"],
            sink.Messages.Select(Subject));
    }

    [Fact]
    public async Task Group_Fault_MailedUnlessNoEmailFaults()
    {
        await using var sink = new SmtpSink();
        var group = new VrrpSyncGroupConfig { Name = "G1" };
        var dispatcher = Create(Global(sink), new RecordingScriptRunner());
        dispatcher.Group(group, VrrpState.Fault, 0);
        await dispatcher.DisposeAsync();

        var quiet = Create(Global(sink) with { NoEmailFaults = true }, new RecordingScriptRunner());
        quiet.Group(group, VrrpState.Fault, 0);
        quiet.Group(group, VrrpState.Master, 0);
        await quiet.DisposeAsync();

        Assert.Equal(["[lbk] VRRP Group G1 - Entering FAULT state", "[lbk] VRRP Group G1 - Entering MASTER state"], sink.Messages.Select(Subject));
    }

    [Fact]
    public async Task Instance_SmtpAlertOffOrMailRemoved_NoMail()
    {
        await using var sink = new SmtpSink();
        var dispatcher = Create(Global(sink), new RecordingScriptRunner());
        dispatcher.Instance(new VrrpInstanceConfig { Name = "VI_1", SmtpAlert = false }, Change(VrrpState.Backup, VrrpState.Master));
        dispatcher.Mail = null;
        dispatcher.Instance(new VrrpInstanceConfig { Name = "VI_1" }, Change(VrrpState.Backup, VrrpState.Master));
        await dispatcher.DisposeAsync();

        Assert.Empty(sink.Messages);
        Assert.Equal(0, sink.Connections);
    }

    [Fact]
    public async Task MasterRxLowerPriority_ScriptRunsAsWrittenAndFifoLineCarriesOurPriority()
    {
        await using var sink = new SmtpSink();
        using var scratch = new NotifyScratch();
        var fifo = scratch.PathOf("vrrp.fifo");
        var runner = new RecordingScriptRunner();
        var dispatcher = Create(Global(sink, fifo), runner);
        using var reader = new FifoReader(fifo);
        var instance = new VrrpInstanceConfig
        {
            Name = "VI_1",
            Priority = 150,
            Notify = scratch.Script + " notify",
            NotifyMasterRxLowerPri = scratch.Script + " rxlower",
        };

        dispatcher.Instance(instance, Change(VrrpState.Backup, VrrpState.Master, priority: 120));
        dispatcher.MasterRxLowerPriority(instance);

        Assert.Equal(["INSTANCE \"VI_1\" MASTER 120", "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 120"], await reader.ReadLinesAsync(2));
        var runs = await runner.WaitForRunsAsync(2);
        Assert.Equal([[scratch.Script, "notify", "INSTANCE", "VI_1", "MASTER", "120"], [scratch.Script, "rxlower"]], runs);
        await dispatcher.DisposeAsync();
        // Only the MASTER transition is mailed; a lower-priority advert is not.
        Assert.Equal(["[lbk] VRRP Instance VI_1 - Entering MASTER state"], sink.Messages.Select(Subject));
    }

    [Fact]
    public async Task MasterRxLowerPriority_BeforeAnyTransition_UsesConfiguredPriority()
    {
        await using var sink = new SmtpSink();
        using var scratch = new NotifyScratch();
        var fifo = scratch.PathOf("vrrp.fifo");
        var dispatcher = Create(Global(sink, fifo), new RecordingScriptRunner());
        using var reader = new FifoReader(fifo);

        dispatcher.MasterRxLowerPriority(new VrrpInstanceConfig { Name = "VI_9", Priority = 200 });

        Assert.Equal(["INSTANCE \"VI_9\" MASTER_RX_LOWER_PRI 200"], await reader.ReadLinesAsync(1));
        await dispatcher.DisposeAsync();
    }
}
