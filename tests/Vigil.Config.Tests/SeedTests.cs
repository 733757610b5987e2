using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Config.Tests;

/// <summary>Configs quoted in the blog posts under /work/shared/seeds, extracted at run time: each top-level
/// block is cut out of the prose (side-by-side columns keep the left one) and loaded on its own.</summary>
public partial class SeedTests
{
    private const string SeedDirectory = "/work/shared/seeds";

    private static readonly string[] RootBlocks =
        ["global_defs", "vrrp_instance", "vrrp_script", "vrrp_sync_group", "virtual_server", "virtual_server_group", "static_ipaddress", "static_routes"];

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}|\p{IsCJKSymbolsandPunctuation}|\p{IsHalfwidthandFullwidthForms}")]
    private static partial Regex Cjk();

    internal static List<(int Line, string Text)> ExtractBlocks(string seed)
    {
        var lines = seed.Split('\n').Select(Clean).ToArray();
        var blocks = new List<(int, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var words = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || !RootBlocks.Contains(words[0].TrimEnd('{')))
            {
                continue;
            }
            var opens = lines[i].Contains('{', StringComparison.Ordinal) || (i + 1 < lines.Length && lines[i + 1].Trim() == "{");
            if (!opens)
            {
                continue;
            }
            var text = new StringBuilder();
            var depth = 0;
            var started = false;
            var j = i;
            for (; j < lines.Length && j < i + 300; j++)
            {
                var code = lines[j].Split('#')[0];
                if (Cjk().IsMatch(code))
                {
                    break;
                }
                depth += code.Count(c => c == '{') - code.Count(c => c == '}');
                started |= code.Contains('{', StringComparison.Ordinal);
                text.Append(lines[j]).Append('\n');
                if (started && depth <= 0)
                {
                    break;
                }
            }
            if (started && depth == 0)
            {
                blocks.Add((i + 1, text.ToString()));
                i = j;
            }
        }
        return blocks;
    }

    /// <summary>Leading blanks go; a run of 3+ blanks after text starts a second column, which goes too.</summary>
    private static string Clean(string line)
    {
        var trimmed = line.Replace('\t', ' ').Replace('\u00a0', ' ').TrimEnd('\r').Trim();
        var gap = trimmed.IndexOf("   ", StringComparison.Ordinal);
        return gap > 0 ? trimmed[..gap] : trimmed;
    }

    public static TheoryData<string> Seeds()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(SeedDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(SeedDirectory, "*.txt").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void SeedConfigs_EveryQuotedBlock_Loads(string seed)
    {
        var text = File.ReadAllText(Path.Combine(SeedDirectory, seed));
        var blocks = ExtractBlocks(text);
        Assert.NotEmpty(blocks);
        var report = new StringBuilder();
        foreach (var (line, block) in blocks)
        {
            var result = ConfigLoader.LoadText(block, new ConfigLoadOptions { FileSystem = new InMemoryFileSystem(), Interfaces = null, CheckScriptFiles = false });
            Assert.NotNull(result.Config);
            report.Append($"{seed}:{line}: {block.Split('\n')[0]} -> {result.Diagnostics.Count} diagnostics\n");
            foreach (var d in result.Diagnostics)
            {
                report.Append("    ").Append(d).Append('\n');
            }
            var errors = result.Diagnostics.Where(d => d.Severity == ConfigSeverity.Error && !IsPlaceholderOrTypo(block, d)).ToList();
            Assert.True(errors.Count == 0, $"{seed}:{line}:\n{block}\n{string.Join("\n", errors)}");
            var keyword = block.Split([' ', '{', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            var bound = keyword switch
            {
                "vrrp_instance" => result.Config.VrrpInstances.Count,
                "virtual_server" => result.Config.VirtualServers.Count,
                "vrrp_script" => result.Config.VrrpScripts.Count,
                _ => 1,
            };
            // A block whose real servers come from an include the post does not show is dropped, as keepalived does.
            var includeMissing = result.Diagnostics.Any(d => d.Message.StartsWith("Config files missing", StringComparison.Ordinal));
            Assert.True(bound == 1 || includeMissing, $"{seed}:{line}: {keyword} did not bind:\n{block}\n{string.Join("\n", result.Diagnostics)}");
        }
        TestContext.Current.SendDiagnosticMessage(report.ToString());
    }

    /// <summary>The posts use placeholders such as &lt;IPADDR&gt; in some templates, and an older keepalived
    /// that accepted vrrp_garp_interval 0, which 2.2.7 (and so vigil -t) rejects; the value is the default anyway.</summary>
    private static bool IsPlaceholderOrTypo(string block, ConfigDiagnostic d) =>
        (d.Message.Contains('<', StringComparison.Ordinal) && block.Contains('<', StringComparison.Ordinal))
        || d.Message.Contains("keepalived 2.2.7 rejects 0", StringComparison.Ordinal);

    [Fact]
    public void ExtractBlocks_SideBySideColumns_KeepsTheLeftConfig()
    {
        var blocks = ExtractBlocks("intro 中文\n\tglobal_defs {        global_defs {\n\t   router_id a      \trouter_id b\n\t}                 \t}\n");
        var (line, text) = Assert.Single(blocks);
        Assert.Equal(2, line);
        Assert.Equal("a", ConfigLoader.LoadText(text).Config!.GlobalDefs.RouterId);
    }
}
