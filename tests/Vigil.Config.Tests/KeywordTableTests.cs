using Vigil.Config.Binding;

namespace Vigil.Config.Tests;

public class KeywordTableTests
{
    private const string Reference = "/work/shared/reference/keepalived-keywords.txt";

    /// <summary>keepalived HEAD (2.4.x) keywords that 2.2.7 does not have either; vigil follows 2.2.7.</summary>
    private static readonly HashSet<string> HeadOnly = new(StringComparer.Ordinal)
    {
        "auth_hmac", "key", "active_key", "time_window", "anti_replay", "mode", "timer_expired_backup", "thread_timer_expired",
    };

    [Fact]
    public void EveryKeepalivedKeyword_IsInVigilsTables()
    {
        Assert.True(File.Exists(Reference), $"{Reference} is missing");
        var keywords = File.ReadLines(Reference)
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length >= 2 && w[0] is "kw" or "kw(q)" or "ROOT" or "install_ROOT(checker)")
            .Select(w => w[^1])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(keywords.Count > 300, $"only {keywords.Count} keywords read from {Reference}");
        var missing = keywords.Where(k => !HeadOnly.Contains(k) && !KeywordTable.IsKnown(k)).ToList();
        Assert.True(missing.Count == 0, "not known to vigil: " + string.Join(", ", missing));
    }

    [Fact]
    public void KnownKeywordInTheWrongBlock_IsStillUnknownThere()
    {
        var result = TestConfigs.Load("global_defs {\n virtual_router_id 5\n}\n");
        var warning = Assert.Single(result.Diagnostics);
        Assert.Contains("Unknown keyword 'virtual_router_id' in global_defs", warning.Message);
    }
}
