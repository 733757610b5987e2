using System.Net;
using Vigil.Alerts;
using Vigil.Config;
using VrrpState = Vigil.Vrrp.Fsm.VrrpState;

namespace Vigil.Tests.Alerts;

public sealed class SmtpAlertRulesTests
{
    private static readonly VrrpInstanceConfig Instance = new() { Name = "VI_1" };

    private static readonly RealServerConfig Rs = new() { Address = IPAddress.Parse("10.0.0.2"), Port = 80 };

    [Theory]
    // own, global smtp_alert, smtp_alert_vrrp -> mailed
    [InlineData(null, null, null, false)]
    [InlineData(null, true, null, true)]
    [InlineData(null, true, false, false)]
    [InlineData(null, false, true, true)]
    [InlineData(true, false, false, true)]
    [InlineData(false, true, true, false)]
    public void Instance_OwnThenVrrpThenGlobal(bool? own, bool? global, bool? vrrp, bool expected)
    {
        var g = new GlobalDefsConfig { SmtpAlert = global, SmtpAlertVrrp = vrrp };
        Assert.Equal(expected, SmtpAlertRules.Instance(g, Instance with { SmtpAlert = own }, VrrpState.Master));
        Assert.Equal(expected, SmtpAlertRules.Group(g, new VrrpSyncGroupConfig { Name = "G", SmtpAlert = own }, VrrpState.Backup));
    }

    [Fact]
    public void Instance_FaultWithNoEmailFaults_NotMailed_OtherStatesAre()
    {
        var g = new GlobalDefsConfig { SmtpAlert = true, NoEmailFaults = true };

        Assert.False(SmtpAlertRules.Instance(g, Instance, VrrpState.Fault));
        Assert.True(SmtpAlertRules.Instance(g, Instance, VrrpState.Backup));
        Assert.True(SmtpAlertRules.Instance(g with { NoEmailFaults = false }, Instance, VrrpState.Fault));
    }

    [Theory]
    [InlineData(VrrpState.Stop)]
    [InlineData(VrrpState.Init)]
    public void Instance_StopOrInit_NeverMailed(VrrpState state) =>
        Assert.False(SmtpAlertRules.Instance(new GlobalDefsConfig { SmtpAlert = true }, Instance with { SmtpAlert = true }, state));

    [Theory]
    // own, global smtp_alert, smtp_alert_checker -> real server mailed, virtual server mailed
    [InlineData(null, null, null, true, false)]
    [InlineData(null, true, false, false, false)]
    [InlineData(null, true, null, true, true)]
    [InlineData(null, false, null, false, false)]
    [InlineData(true, true, false, true, true)]
    [InlineData(false, null, null, false, false)]
    public void Checker_OwnThenCheckerThenGlobal_RealServersDefaultToMail(bool? own, bool? global, bool? checker, bool rsExpected, bool vsExpected)
    {
        var g = new GlobalDefsConfig { SmtpAlert = global, SmtpAlertChecker = checker };
        Assert.Equal(rsExpected, SmtpAlertRules.RealServer(g, Rs with { SmtpAlert = own }));
        Assert.Equal(vsExpected, SmtpAlertRules.VirtualServer(g, new VirtualServerConfig { SmtpAlert = own }));
    }
}
