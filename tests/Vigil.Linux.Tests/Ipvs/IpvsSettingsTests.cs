using Vigil.Linux.Ipvs;

namespace Vigil.Linux.Tests.Ipvs;

/// <summary>lvs_timeouts arguments and the sync daemons keepalived runs per VRRP state.</summary>
public class IpvsSettingsTests
{
    [Fact]
    public void Parse_AllThree_Seconds()
    {
        var problems = new List<string>();

        var t = IpvsTimeouts.Parse(["tcp", "900", "tcpfin", "60", "udp", "120"], problems);

        Assert.Equal(new IpvsTimeouts(900, 60, 120), t);
        Assert.Empty(problems);
    }

    [Fact]
    public void Parse_OnlyUdp_OthersZeroMeaningUnchanged()
    {
        var problems = new List<string>();

        Assert.Equal(new IpvsTimeouts(0, 0, 30), IpvsTimeouts.Parse(["udp", "30"], problems));
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("tcp", "0")]
    [InlineData("tcp", "2678401")]
    [InlineData("tcp", "-5")]
    [InlineData("tcp", "ten")]
    public void Parse_BadValue_ProblemAndNull(string name, string value)
    {
        var problems = new List<string>();

        Assert.Null(IpvsTimeouts.Parse([name, value], problems));
        Assert.Contains(problems, p => p.Contains("tcp needs a number of seconds from 1 to 2678400", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnknownOptionAndMissingValue_ProblemsGoodOneKept()
    {
        var problems = new List<string>();

        var t = IpvsTimeouts.Parse(["sctp", "tcp", "100", "udp"], problems);

        Assert.Equal(new IpvsTimeouts(100, 0, 0), t);
        Assert.Equal(2, problems.Count);
        Assert.Contains("unknown option 'sctp'", problems[0], StringComparison.Ordinal);
        Assert.Contains("udp needs", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Nothing_ProblemAndNull()
    {
        var problems = new List<string>();

        Assert.Null(IpvsTimeouts.Parse([], problems));
        Assert.Equal(["lvs_timeouts: at least one of tcp, tcpfin and udp is needed"], problems);
    }

    [Theory]
    [InlineData(true, true, new[] { IpvsSyncState.Master })]
    [InlineData(true, false, new[] { IpvsSyncState.Backup })]
    [InlineData(false, false, new[] { IpvsSyncState.Master, IpvsSyncState.Backup })]
    [InlineData(false, true, new[] { IpvsSyncState.Master, IpvsSyncState.Backup })]
    public void Wanted_InstanceState_DaemonsAsKeepalived(bool follows, bool master, IpvsSyncState[] expected)
    {
        Assert.Equal(expected.Order(), IpvsSyncDaemon.Wanted(follows, master).Order());
    }
}
