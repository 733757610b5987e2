using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Notify;

namespace Vigil.Vrrp.Tests.Notify;

public class VrrpNotifyFormatTests
{
    [Fact]
    public void FifoLine_Instance_KeepalivedFormat()
    {
        Assert.Equal("INSTANCE \"VI_1\" MASTER 100", VrrpNotifyFormat.FifoLine(VrrpNotifySubject.Instance, "VI_1", VrrpState.Master, 100));
        Assert.Equal("GROUP \"G1\" FAULT 0", VrrpNotifyFormat.FifoLine(VrrpNotifySubject.Group, "G1", VrrpState.Fault, 0));
    }

    [Fact]
    public void NotifyArguments_FourWords()
    {
        Assert.Equal(["INSTANCE", "VI_1", "BACKUP", "90"], VrrpNotifyFormat.NotifyArguments(VrrpNotifySubject.Instance, "VI_1", VrrpState.Backup, 90));
    }

    [Theory]
    [InlineData(VrrpState.Master, "m")]
    [InlineData(VrrpState.Backup, "b")]
    [InlineData(VrrpState.Fault, "f")]
    [InlineData(VrrpState.Stop, "s")]
    [InlineData(VrrpState.Init, null)]
    public void StateScript_PicksPerState(VrrpState state, string? expected)
    {
        Assert.Equal(expected, VrrpNotifyFormat.StateScript(state, "m", "b", "f", "s"));
    }
}
