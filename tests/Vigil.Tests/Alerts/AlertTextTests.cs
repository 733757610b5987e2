using Vigil.Alerts;
using VrrpState = Vigil.Vrrp.Fsm.VrrpState;

namespace Vigil.Tests.Alerts;

/// <summary>The texts keepalived 2.2.7 mailed to an SMTP sink (VRRP in a namespace, checkers inside UML with IPVS).</summary>
public sealed class AlertTextTests
{
    [Theory]
    [InlineData(VrrpState.Master, "[lbk] VRRP Instance VI_1 - Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <=")]
    [InlineData(VrrpState.Backup, "[lbk] VRRP Instance VI_1 - Entering BACKUP state", "=> VRRP Instance is no longer owning VRRP VIPs <=")]
    [InlineData(VrrpState.Fault, "[lbk] VRRP Instance VI_1 - Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <=")]
    public void VrrpInstance_States_AsKeepalived(VrrpState state, string subject, string body) =>
        Assert.Equal(new AlertMessage(subject, body), AlertText.VrrpInstance("lbk", "VI_1", state));

    [Theory]
    [InlineData(VrrpState.Master)]
    [InlineData(VrrpState.Backup)]
    [InlineData(VrrpState.Fault)]
    public void VrrpGroup_States_AsKeepalived(VrrpState state)
    {
        var word = state.ToString().ToUpperInvariant();
        Assert.Equal(new AlertMessage($"[lbk] VRRP Group G1 - Entering {word} state", $"=> All VRRP group instances are now in {word} state <="),
            AlertText.VrrpGroup("lbk", "G1", state));
    }

    [Theory]
    [InlineData(VrrpState.Stop)]
    [InlineData(VrrpState.Init)]
    public void VrrpInstanceAndGroup_StopOrInit_NoMail(VrrpState state)
    {
        Assert.Null(AlertText.VrrpInstance("lbk", "VI_1", state));
        Assert.Null(AlertText.VrrpGroup("lbk", "G1", state));
    }

    [Fact]
    public void RealServer_TcpDown_SubjectNamesBothServers()
    {
        var mail = AlertText.RealServer("lbu", "[127.0.0.1]:tcp:8080", "[10.0.0.1]:tcp:80", up: false, "TCP_CHECK", "connection refused");

        Assert.Equal("[lbu] Realserver [127.0.0.1]:tcp:8080 of virtual server [10.0.0.1]:tcp:80 - DOWN", mail.Subject);
        Assert.Equal("=> TCP CHECK failed on service <=", mail.Body);
    }

    [Theory]
    [InlineData("TCP_CHECK", true, null, "TCP CHECK succeed on service")]
    [InlineData("MISC_CHECK", false, "exit 1", "MISC CHECK failed on service")]
    [InlineData("MISC_CHECK#2", true, null, "MISC CHECK succeeded on service")]
    [InlineData("PING_CHECK", false, "timeout", "ICMP CHECK failed on service")]
    [InlineData("UDP_CHECK", false, "timeout", "UDP CHECK failed on service")]
    [InlineData("DNS_CHECK", false, "timeout", "DNS_CHECK: failed on service")]
    [InlineData("HTTP_GET", false, "HTTP request failed", "CHECK failed on service : HTTP request failed")]
    [InlineData("SSL_GET", false, "HTTP request failed", "CHECK failed on service : HTTP request failed")]
    [InlineData("SMTP_CHECK", false, "Could not connect to server [127.0.0.1]:8092", "CHECK failed on service : Could not connect to server [127.0.0.1]:8092")]
    public void CheckerPhrase_PerChecker_AsKeepalived(string checker, bool up, string? reason, string expected) =>
        Assert.Equal(expected, AlertText.CheckerPhrase(checker, up, reason));

    [Fact]
    public void VirtualServer_StartingGainedLost_QuorumArithmeticAsKeepalivedWritesIt()
    {
        Assert.Equal(new AlertMessage("[lbu] Virtualserver [10.0.0.2]:tcp:80 - UP", "=> Starting with quorum up 1+0=1 <= 1 <="),
            AlertText.VirtualServer("lbu", "[10.0.0.2]:tcp:80", up: true, starting: true, 1, 0, 1));
        Assert.Equal(new AlertMessage("[lbu3] Virtualserver [10.0.0.2]:tcp:80 - UP", "=> Gained quorum 2+1=3 <= 3 <="),
            AlertText.VirtualServer("lbu3", "[10.0.0.2]:tcp:80", up: true, starting: false, 2, 1, 3));
        // keepalived compat: the lost-quorum mail prints the lower threshold after a plus sign.
        Assert.Equal(new AlertMessage("[lbu3] Virtualserver FWM 5 - DOWN", "=> Lost quorum 2+1=1 <= 0 <="),
            AlertText.VirtualServer("lbu3", "FWM 5", up: false, starting: false, 2, 1, 0));
    }
}
