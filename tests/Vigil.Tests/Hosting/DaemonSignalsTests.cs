using Vigil.Hosting;

namespace Vigil.Tests.Hosting;

public class DaemonSignalsTests
{
    [Theory]
    [InlineData("STOP", 15)]
    [InlineData("RELOAD", 1)]
    [InlineData("DATA", 10)]
    [InlineData("STATS", 12)]
    [InlineData("STATS_CLEAR", 63)]
    [InlineData("JSON", 36)]
    [InlineData("reload", 1)]
    public void NumberOf_MatchesKeepalivedSignum(string name, int expected) =>
        Assert.Equal(expected, DaemonSignals.NumberOf(name));

    [Fact]
    public void NumberOf_UnknownName_IsNull() => Assert.Null(DaemonSignals.NumberOf("BOGUS"));
}
