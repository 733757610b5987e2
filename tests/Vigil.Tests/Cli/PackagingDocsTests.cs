using System.CommandLine;
using System.Text.RegularExpressions;
using Vigil.Cli;

namespace Vigil.Tests.Cli;

/// <summary>The man page, the systemd unit and /etc/default/vigil agree with the command line vigil parses.</summary>
public partial class PackagingDocsTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return File.ReadAllText(Path.Combine(dir.FullName, relative));
            }
        }
        throw new FileNotFoundException("repository root (Vigil.slnx) not found above the test binaries", relative);
    }

    private static IEnumerable<Option> DaemonOptions() =>
        CommandLine.Build(_ => 0, (_, _) => 0, _ => 0).Options.Where(o => o.Name != "--help");

    /// <summary>roff escapes every '-' of a flag as "\-".</summary>
    private static string Roff(string flag) => flag.Replace("-", "\\-", StringComparison.Ordinal);

    [Fact]
    public void ManPage_DocumentsEveryDaemonFlagAndAlias()
    {
        var page = RepoFile("docs/vigil.8");
        var missing = DaemonOptions().SelectMany(o => o.Aliases.Prepend(o.Name))
            .Where(flag => !page.Contains(Roff(flag), StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "not in docs/vigil.8: " + string.Join(", ", missing));
        Assert.True(DaemonOptions().Count() >= 25);
    }

    [Fact]
    public void ManPage_NamesEverySignalFunctionOfSignum()
    {
        var page = RepoFile("docs/vigil.8");
        foreach (var function in new[] { "STOP", "RELOAD", "DATA", "STATS", "STATS_CLEAR", "JSON" })
        {
            Assert.NotNull(Vigil.Hosting.DaemonSignals.NumberOf(function));
            Assert.Contains(function, page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unit_IsNotifyType_ReloadsWithHup_RestartsOnFailure_AndReadsTheDefaultsFile()
    {
        var unit = RepoFile("packaging/vigil.service");
        Assert.Contains("\nType=notify\n", unit, StringComparison.Ordinal);
        Assert.Contains("\nExecReload=/bin/kill -HUP $MAINPID\n", unit, StringComparison.Ordinal);
        Assert.Contains("\nRestart=on-failure\n", unit, StringComparison.Ordinal);
        Assert.Contains("\nEnvironmentFile=-/etc/default/vigil\n", unit, StringComparison.Ordinal);
        Assert.Matches(@"\nExecStart=/usr/sbin/vigil -n \$VIGIL_OPTIONS\n", unit);
        var capabilities = Regex.Match(unit, @"\nAmbientCapabilities=(.*)\n").Groups[1].Value.Split(' ');
        Assert.Equal(["CAP_NET_ADMIN", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW"], capabilities.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DefaultsFile_AndTheUnitsFallback_AreFlagsVigilParses()
    {
        var defaults = Options(RepoFile("packaging/vigil.default"));
        var fallback = Regex.Match(RepoFile("packaging/vigil.service"), "\nEnvironment=\"VIGIL_OPTIONS=([^\"]*)\"").Groups[1].Value;
        foreach (var text in new[] { defaults, fallback })
        {
            Assert.False(string.IsNullOrWhiteSpace(text));
            var parse = CommandLine.Build(_ => 0, (_, _) => 0, _ => 0).Parse(["-n", .. text.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
            Assert.Empty(parse.Errors);
            var options = CommandLine.ToDaemonOptions(parse);
            Assert.Equal("/etc/keepalived/keepalived.conf", options.ConfigFile);
            Assert.Equal("/run/vigil/vigil.sock", options.ControlSocket);
        }
    }

    private static string Options(string defaultsFile)
    {
        var line = defaultsFile.Split('\n').Single(l => l.StartsWith("VIGIL_OPTIONS=", StringComparison.Ordinal));
        return line["VIGIL_OPTIONS=".Length..].Trim('"');
    }
}
