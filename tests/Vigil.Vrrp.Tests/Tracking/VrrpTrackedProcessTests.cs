using Vigil.Vrrp.Tracking;

namespace Vigil.Vrrp.Tests.Tracking;

public class VrrpTrackedProcessTests
{
    [Fact]
    public void Matches_NameOnly_ComparesComm()
    {
        var p = new VrrpTrackedProcess("nginx", [], null, false);
        Assert.True(p.Matches("nginx", ["nginx: master process /usr/sbin/nginx"]));
        Assert.False(p.Matches("nginx-debug", ["/usr/sbin/nginx-debug"]));
    }

    [Fact]
    public void Matches_LongName_TruncatedTo15LikeComm()
    {
        Assert.True(new VrrpTrackedProcess("averyveryverylongname", [], null, false).Matches("averyveryverylo", []));
    }

    [Theory]
    [InlineData(null, new[] { "-c", "x" }, true)]
    [InlineData(null, new[] { "-c", "x", "-v" }, false)]
    [InlineData("initial", new[] { "-c", "x", "-v" }, true)]
    [InlineData("partial", new[] { "-v", "-c", "x", "-q" }, true)]
    [InlineData("partial", new[] { "-v" }, false)]
    public void Matches_Parameters_PerParamMatch(string? mode, string[] args, bool expected)
    {
        var p = new VrrpTrackedProcess("haproxy", ["-c", "x"], mode, false);
        Assert.Equal(expected, p.Matches("haproxy", ["/usr/sbin/haproxy", .. args]));
    }

    [Fact]
    public void Matches_FullCommand_ComparesArgv0()
    {
        var p = new VrrpTrackedProcess("/usr/sbin/haproxy", [], null, true);
        Assert.True(p.Matches("haproxy", ["/usr/sbin/haproxy"]));
        Assert.False(p.Matches("haproxy", ["haproxy"]));
    }

    [Theory]
    [InlineData(0, 1, null, false)]
    [InlineData(1, 1, null, true)]
    [InlineData(3, 2, 2, false)]
    [InlineData(2, 2, 2, true)]
    public void IsUp_QuorumRange(int count, int quorum, int? max, bool expected)
    {
        Assert.Equal(expected, VrrpTrackedProcess.IsUp(count, quorum, max));
    }

    [Fact]
    public void ParseCmdline_NulSeparated()
    {
        Assert.Equal(["/bin/sleep", "30"], VrrpTrackedProcess.ParseCmdline("/bin/sleep\u000030\u0000"));
        Assert.Empty(VrrpTrackedProcess.ParseCmdline(""));
    }

    [Theory]
    [InlineData("10\n", 10)]
    [InlineData("  -5 extra", -5)]
    [InlineData("abc", 0)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    public void TrackFileValue_Parse_FirstNumberElseZero(string? text, int expected)
    {
        Assert.Equal(expected, VrrpTrackFileValue.Parse(text));
    }
}
