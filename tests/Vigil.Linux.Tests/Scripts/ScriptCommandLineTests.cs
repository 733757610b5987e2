using Vigil.Linux.Scripts;

namespace Vigil.Linux.Tests.Scripts;

public class ScriptCommandLineTests
{
    [Fact]
    public void Parse_PlainWords_SplitsOnBlanksWithoutShell()
    {
        var c = ScriptCommandLine.Parse("  /usr/bin/killall   -0\tnginx ");
        Assert.Equal(["/usr/bin/killall", "-0", "nginx"], c.Arguments);
        Assert.False(c.NeedsShell);
        Assert.Equal("/usr/bin/killall", c.Program);
        Assert.Equal(c.Arguments, c.ExecArguments);
    }

    [Fact]
    public void Parse_Quotes_GroupWordsAndAreRemoved()
    {
        var c = ScriptCommandLine.Parse("/bin/echo \"a b\" 'c|d' e\\ f");
        Assert.Equal(["/bin/echo", "a b", "c|d", "e f"], c.Arguments);
        Assert.False(c.NeedsShell);
    }

    [Theory]
    [InlineData("pidof nginx | wc -l")]
    [InlineData("test -f /x && exit 1")]
    [InlineData("echo $HOME")]
    [InlineData("ls /tmp/*.sh")]
    [InlineData("cmd > /dev/null")]
    public void Parse_ShellSyntaxOutsideQuotes_RunsUnderSh(string line)
    {
        var c = ScriptCommandLine.Parse(line);
        Assert.True(c.NeedsShell);
        Assert.Equal(["/bin/sh", "-c", line], c.ExecArguments);
    }

    [Fact]
    public void WithArguments_Shell_AppendsQuotedWords()
    {
        var c = ScriptCommandLine.Parse("echo x >> /tmp/f").WithArguments(["INSTANCE", "VI_1", "MASTER", "100"]);
        Assert.Equal("echo x >> /tmp/f 'INSTANCE' 'VI_1' 'MASTER' '100'", c.ExecArguments[2]);
    }

    [Fact]
    public void WithArguments_NoShell_AppendsArgv()
    {
        var c = ScriptCommandLine.Parse("/n.sh a").WithArguments(["GROUP", "G1", "FAULT", "0"]);
        Assert.Equal(["/n.sh", "a", "GROUP", "G1", "FAULT", "0"], c.ExecArguments);
    }
}
