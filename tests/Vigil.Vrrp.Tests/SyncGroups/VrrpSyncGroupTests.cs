using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.SyncGroups;

namespace Vigil.Vrrp.Tests.SyncGroups;

public class VrrpSyncGroupTests
{
    [Fact]
    public void OnMemberState_MasterOnlyWhenAllMaster()
    {
        var g = new VrrpSyncGroup("G", ["A", "B"]);
        Assert.Equal(VrrpState.Backup, g.OnMemberState("A", VrrpState.Backup));
        Assert.Null(g.OnMemberState("B", VrrpState.Backup));
        Assert.Null(g.OnMemberState("A", VrrpState.Master));
        Assert.Equal(VrrpState.Master, g.OnMemberState("B", VrrpState.Master));
        Assert.Equal(VrrpState.Backup, g.OnMemberState("A", VrrpState.Backup));
    }

    [Fact]
    public void OnMemberState_FirstMemberMasterOthersInit_GroupBackup()
    {
        var g = new VrrpSyncGroup("G", ["A", "B"]);
        Assert.Equal(VrrpState.Backup, g.OnMemberState("A", VrrpState.Master));
    }

    [Fact]
    public void OnMemberState_AnyFault_GroupFault()
    {
        var g = new VrrpSyncGroup("G", ["A", "B"]);
        g.OnMemberState("A", VrrpState.Master);
        g.OnMemberState("B", VrrpState.Master);
        Assert.Equal(VrrpState.Fault, g.OnMemberState("B", VrrpState.Fault));
        Assert.Null(g.OnMemberState("A", VrrpState.Fault));
    }

    [Fact]
    public void SetMemberFault_OneMember_FaultsGroupUntilAllClear()
    {
        var g = new VrrpSyncGroup("G", ["A", "B"]);
        Assert.True(g.SetMemberFault("A", true));
        Assert.True(g.SetMemberFault("B", true));
        Assert.True(g.SetMemberFault("A", false));
        Assert.False(g.SetMemberFault("B", false));
    }

    [Fact]
    public void OnMemberState_AllStopped_GroupStop()
    {
        var g = new VrrpSyncGroup("G", ["A", "B"]);
        g.OnMemberState("A", VrrpState.Master);
        g.OnMemberState("B", VrrpState.Master);
        Assert.Null(g.OnMemberState("A", VrrpState.Stop));
        Assert.Equal(VrrpState.Stop, g.OnMemberState("B", VrrpState.Stop));
        Assert.Null(g.OnMemberState("X", VrrpState.Fault));
    }
}
