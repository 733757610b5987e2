using System.Diagnostics;
using System.Text;
using CsCheck;

namespace Vigil.Config.Tests;

/// <summary>Mutated configs never make the loader throw, hang or allocate without bound, and whatever
/// loads still dumps and re-loads to an equal model.</summary>
public class FuzzTests
{
    private static readonly string[] Bases = BuildBases();

    private static readonly string[] Tokens =
    [
        "{", "}", "{ {", "} }", "\"", "'", "\\", "#", "!", "$X", "${X}", "$X=$X$X", "@id", "@^id", "~SEQ(i,1,1,3)", "~SEQx(i,0,1,ff)",
        "~LST(a,1,2)", "~SEQ(", "include *", "include a.conf", "includea /nope", "vrrp_instance", "virtual_server", "real_server",
        "global_defs", "-1", "0", "256", "99999999999999999999", "1e308", "NaN", "0.0000001", "::", "1.2.3.4/33", "fe80::1%eth0",
        "10.0.0.1-300", "weight", "reverse", "MASTER", "AH", "TCP_CHECK", "HTTP_GET", "url", "status_code 600-100", "\u0000", "\u00e9",
        "interface", "track_script", "dev", "brd", "via", "nexthop", "table", "preference", "fwmark", "group",
    ];

    private static string[] BuildBases()
    {
        var bases = new List<string> { FeatureRich.Text };
        bases.AddRange(DiagnosticCases.All.Select(c => c.Text).Where(t => t.Length > 0));
        bases.AddRange(CorpusFixture.SampleFiles().Select(File.ReadAllText));
        return [.. bases];
    }

    // The structural attacks (3-6) cost up to a second each in Debug; the cheap mutations run far more often.
    private static readonly int[] KindWeights = [0, 1, 2, 7, 0, 1, 2, 7, 0, 1, 2, 7, 0, 1, 2, 7, 3, 4, 5, 6];

    private static readonly Gen<(int Base, int Kind, int Seed)> Cases =
        Gen.Select(Gen.Int[0, Bases.Length - 1], Gen.Int[0, KindWeights.Length - 1].Select(i => KindWeights[i]), Gen.Int);

    internal static (InMemoryFileSystem Files, string Main) Mutate(int baseIndex, int kind, int seed)
    {
        var random = new Random(seed);
        var text = Bases[baseIndex];
        const string main = "/etc/keepalived/keepalived.conf";
        var files = new InMemoryFileSystem();
        switch (kind)
        {
            case 0:
                // Byte flips.
                var chars = text.ToCharArray();
                for (var i = 0; i < 1 + random.Next(20) && chars.Length > 0; i++)
                {
                    chars[random.Next(chars.Length)] = (char)random.Next(0, 256);
                }
                text = new string(chars);
                break;
            case 1:
                text = text[..random.Next(text.Length + 1)];
                break;
            case 2:
                var builder = new StringBuilder(text);
                for (var i = 0; i < 1 + random.Next(20); i++)
                {
                    builder.Insert(random.Next(builder.Length + 1), " " + Tokens[random.Next(Tokens.Length)] + (random.Next(3) == 0 ? "\n" : " "));
                }
                text = builder.ToString();
                break;
            case 3:
                var depth = random.Next(10, 5000);
                text = string.Concat(Enumerable.Repeat("vrrp_instance X {\n", depth)) + text + string.Concat(Enumerable.Repeat("}\n", random.Next(depth + 1)));
                break;
            case 4:
                files.Add("/etc/keepalived/a.conf", "include b.conf\n" + text).Add("/etc/keepalived/b.conf", "include *.conf\ninclude a.conf\n");
                text = "include a.conf\ninclude " + main + "\n" + text;
                break;
            case 5:
                text = "$A=${B}${B}\n$B=${C}${C}\n$C=$A$A\n$D=x\\\n$D\\\n" + text.Replace("eth0", "$A", StringComparison.Ordinal);
                break;
            case 6:
                text = "~SEQ(i,1,1,100000) ~SEQ(j,1,1,100000) ~SEQx(k,0,1,ffff) virtual_ipaddress {\n" + text;
                break;
            default:
                var lines = text.Split('\n').ToList();
                for (var i = 0; i < 1 + random.Next(10) && lines.Count > 1; i++)
                {
                    var from = random.Next(lines.Count);
                    lines.Insert(random.Next(lines.Count), lines[from]);
                    lines.RemoveAt(random.Next(lines.Count));
                }
                text = string.Join('\n', lines);
                break;
        }
        files.Add(main, text);
        return (files, main);
    }

    private static void LoadBounded((int Base, int Kind, int Seed) c)
    {
        var (files, main) = Mutate(c.Base, c.Kind, c.Seed);
        var options = new ConfigLoadOptions { FileSystem = files, Interfaces = TestConfigs.Host, ConfigId = "id", CheckScriptFiles = false };
        long allocated = 0;
        var task = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = ConfigLoader.Load(main, options);
            Assert.NotNull(result.Diagnostics);
            if (result.Config is { } config)
            {
                var dump = ConfigDumper.Dump(config);
                var again = ConfigLoader.LoadText(dump, options with { FileSystem = new InMemoryFileSystem() });
                Assert.True(config == again.Config, $"round trip differs for case {c}:\n{dump}\n{string.Join("\n", again.Diagnostics)}");
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }, TestContext.Current.CancellationToken);
        var stopwatch = Stopwatch.StartNew();
        Assert.True(task.Wait(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken), $"case {c} did not finish in 20 s");
        Assert.True(allocated < 512L * 1024 * 1024, $"case {c} allocated {allocated / 1024 / 1024} MB");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Load_MutatedConfigs_NeverThrowHangOrExplode()
    {
        Cases.Sample(LoadBounded, writeLine: line => TestContext.Current.SendDiagnosticMessage(line), iter: 1_000_000, time: 12, threads: 1);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Load_StructuralAttack_EndsWithAnErrorDiagnostic(int kind)
    {
        var (files, main) = Mutate(0, kind, 1);
        var result = ConfigLoader.Load(main, new ConfigLoadOptions { FileSystem = files, CheckScriptFiles = false });
        Assert.Contains(result.Diagnostics, d => d.Severity == ConfigSeverity.Error);
    }
}
