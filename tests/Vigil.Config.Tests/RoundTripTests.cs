namespace Vigil.Config.Tests;

public class RoundTripTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in CorpusFixture.SampleFiles())
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Dump_OfEverySample_ParsesToAnEqualModel(string name)
    {
        var path = Path.Combine(CorpusFixture.SampleDirectory, name);
        var options = new ConfigLoadOptions { Interfaces = TestConfigs.Host, ConfigId = "high" };
        var first = ConfigLoader.Load(path, options);
        Assert.NotNull(first.Config);
        AssertRoundTrip(first.Config, options);
    }

    [Fact]
    public void Dump_OfAFeatureRichConfig_ParsesToAnEqualModel()
    {
        var first = TestConfigs.Load(FeatureRich.Text, TestConfigs.Options() with { CheckScriptFiles = false });
        Assert.NotNull(first.Config);
        AssertRoundTrip(first.Config, TestConfigs.Options() with { CheckScriptFiles = false });
    }

    internal static void AssertRoundTrip(KeepalivedConfig config, ConfigLoadOptions options)
    {
        var dump = ConfigDumper.Dump(config);
        var second = ConfigLoader.LoadText(dump, options with { FileSystem = new InMemoryFileSystem(), CheckScriptFiles = false });
        Assert.NotNull(second.Config);
        Assert.True(config == second.Config, "dump does not parse back to the same model:\n" + dump + "\n" + string.Join("\n", second.Diagnostics));
        Assert.Equal(dump, ConfigDumper.Dump(second.Config));
    }
}
