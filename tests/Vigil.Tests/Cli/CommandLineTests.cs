using Vigil.Cli;

namespace Vigil.Tests.Cli;

public class CommandLineTests
{
    private static DaemonOptions Parse(params string[] args)
    {
        var root = CommandLine.Build(_ => 0, (_, _) => 0, _ => 0);
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        return CommandLine.ToDaemonOptions(parse);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void NoFlags_UsesKeepalivedDefaultConfigFile()
    {
        var options = Parse();
        Assert.Equal("/etc/keepalived/keepalived.conf", options.ConfigFile);
        Assert.Null(options.ConfigTest);
        Assert.Null(options.LogFile);
        Assert.False(options.DontFork);
    }

    [Fact]
    public void ShortFlags_MapToTheirKeepalivedMeaning()
    {
        var options = Parse("-f", "/tmp/k.conf", "-n", "-l", "-D", "-S", "3", "-p", "/run/a.pid", "-r", "/run/v.pid",
            "-c", "/run/c.pid", "-P", "-C", "-i", "lb1", "-X", "-V", "-I", "-R", "-G", "-d");
        Assert.Equal("/tmp/k.conf", options.ConfigFile);
        Assert.True(options.DontFork && options.LogConsole && options.LogDetail);
        Assert.Equal(3, options.LogFacility);
        Assert.Equal("/run/a.pid", options.PidFile);
        Assert.Equal("/run/v.pid", options.VrrpPidFile);
        Assert.Equal("/run/c.pid", options.CheckersPidFile);
        Assert.True(options.VrrpOnly && options.CheckOnly);
        Assert.Equal("lb1", options.ConfigId);
        Assert.True(options.ReleaseVips && options.DontReleaseVrrp && options.DontReleaseIpvs && options.DontRespawn);
        Assert.True(options.NoSyslog && options.DumpConfig);
    }

    [Fact]
    public void BundledShortFlags_AreAccepted_AsKeepalivedUsersWriteThem()
    {
        var options = Parse("-nlD");
        Assert.True(options.DontFork && options.LogConsole && options.LogDetail);
    }

    [Fact]
    public void LongFlags_MapLikeShortOnes()
    {
        var options = Parse("--use-file=/x.conf", "--dont-fork", "--log-console", "--log-detail", "--log-facility", "7",
            "--control-socket", "/run/v.sock", "--metrics", "127.0.0.1:9650");
        Assert.Equal("/x.conf", options.ConfigFile);
        Assert.Equal(7, options.LogFacility);
        Assert.Equal("/run/v.sock", options.ControlSocket);
        Assert.Equal("127.0.0.1:9650", options.MetricsEndpoint);
    }

    [Fact]
    public void ConfigTest_WithoutValue_IsSetButEmpty()
    {
        Assert.Equal(string.Empty, Parse("-t").ConfigTest);
        Assert.Equal("/tmp/t.log", Parse("--config-test=/tmp/t.log").ConfigTest);
    }

    [Fact]
    public void LogFile_WithoutValue_MeansDefaultLogFile()
    {
        Assert.Equal(string.Empty, Parse("-g").LogFile);
        Assert.Equal("/var/log/v.log", Parse("--log-file=/var/log/v.log").LogFile);
    }

    [Fact]
    public void UnknownFlag_IsAClearErrorWithExitCode2()
    {
        var (code, _, err) = Run("--no-such-flag");
        Assert.Equal(2, code);
        Assert.Contains("--no-such-flag", err);
        Assert.Contains("--help", err);
    }

    [Fact]
    public void Version_PrintsVersion_WithShortAndLongFlag()
    {
        foreach (var flag in new[] { "-v", "--version" })
        {
            var (code, stdout, _) = Run(flag);
            Assert.Equal(0, code);
            Assert.StartsWith("Vigil v", stdout);
        }
    }

    [Fact]
    public void Help_ListsKeepalivedFlagsAndSubcommands()
    {
        var (code, stdout, _) = Run("--help");
        Assert.Equal(0, code);
        foreach (var flag in new[] { "--use-file", "--dont-fork", "--log-console", "--log-detail", "--log-facility",
                     "--pid", "--vrrp", "--check", "--config-test", "--dump-conf", "--version", "status", "genhash" })
        {
            Assert.Contains(flag, stdout);
        }
    }

    [Fact]
    public void DashT_AsFirstArgument_RunsGenhashLikeKeepalived()
    {
        GenhashRequest? seen = null;
        var root = CommandLine.Build(_ => 0, (_, _) => 0, r => { seen = r; return 0; });
        var code = root.Parse(["genhash", "-s", "10.0.0.1", "-u", "/index.html", "-S"]).Invoke();
        Assert.Equal(0, code);
        Assert.NotNull(seen);
        Assert.Equal(443, seen.Port);
        Assert.True(seen.UseSsl);
        // and Program routes -T to the same sub-command
        var (runCode, _, err) = Run("-T", "-s", "10.0.0.1");
        Assert.Equal(2, runCode); // --url is required
        Assert.Contains("--url", err);
    }
}
