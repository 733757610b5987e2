using System.Text;

namespace Vigil.Config;

/// <summary>
/// Expands include patterns as glob(3) with GLOB_BRACE would: '*', '?', '[...]' per path segment and
/// csh-style '{a,b}' alternatives. Results are sorted per brace alternative, like glob's.
/// </summary>
internal static class Glob
{
    private const int MaxBraceAlternatives = 256;
    private const int MaxMatches = 10_000;

    /// <summary>The brace alternatives of a pattern, in order ("a{b,c}d" -> "abd", "acd").</summary>
    public static List<string> ExpandBraces(string pattern)
    {
        var results = new List<string>();
        ExpandBraces(pattern, results);
        return results;
    }

    private static void ExpandBraces(string pattern, List<string> results)
    {
        if (results.Count >= MaxBraceAlternatives)
        {
            return;
        }
        var open = pattern.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            results.Add(pattern);
            return;
        }
        var depth = 0;
        var close = -1;
        var commas = new List<int>();
        for (var i = open; i < pattern.Length; i++)
        {
            if (pattern[i] == '{')
            {
                depth++;
            }
            else if (pattern[i] == '}')
            {
                depth--;
                if (depth == 0)
                {
                    close = i;
                    break;
                }
            }
            else if (pattern[i] == ',' && depth == 1)
            {
                commas.Add(i);
            }
        }
        if (close < 0)
        {
            results.Add(pattern);
            return;
        }
        var prefix = pattern[..open];
        var suffix = pattern[(close + 1)..];
        var start = open + 1;
        foreach (var end in commas.Append(close))
        {
            ExpandBraces(prefix + pattern[start..end] + suffix, results);
            start = end + 1;
        }
    }

    public static bool HasWildcards(string pattern) => pattern.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>The files matching an absolute pattern without braces, sorted.</summary>
    public static List<string> Match(IConfigFileSystem fs, string absolutePattern)
    {
        var segments = absolutePattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { "" };
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            var last = s == segments.Length - 1;
            var next = new List<string>();
            foreach (var dir in current)
            {
                var dirPath = dir.Length == 0 ? "/" : dir;
                if (!HasWildcards(segment))
                {
                    var candidate = dir + "/" + segment;
                    if (last ? fs.FileExists(candidate) : fs.DirectoryExists(candidate))
                    {
                        next.Add(candidate);
                    }
                    continue;
                }
                var names = fs.EnumerateEntries(dirPath)
                    .Where(n => !n.StartsWith('.') || segment.StartsWith('.'))
                    .Where(n => IsMatch(segment, n))
                    .Order(StringComparer.Ordinal);
                foreach (var name in names)
                {
                    var candidate = dir + "/" + name;
                    if (last ? fs.FileExists(candidate) : fs.DirectoryExists(candidate))
                    {
                        next.Add(candidate);
                    }
                    if (next.Count >= MaxMatches)
                    {
                        break;
                    }
                }
            }
            current = next;
            if (current.Count == 0)
            {
                break;
            }
        }
        return current;
    }

    /// <summary>fnmatch(3) for one segment: '*', '?', '[abc]', '[a-z]', '[!x]'.</summary>
    public static bool IsMatch(string pattern, string name) => IsMatch(pattern.AsSpan(), name.AsSpan(), 0);

    private static bool IsMatch(ReadOnlySpan<char> p, ReadOnlySpan<char> n, int depth)
    {
        if (depth > 64)
        {
            return false;
        }
        while (p.Length > 0)
        {
            switch (p[0])
            {
                case '*':
                    p = p[1..];
                    if (p.Length == 0)
                    {
                        return true;
                    }
                    for (var i = 0; i <= n.Length; i++)
                    {
                        if (IsMatch(p, n[i..], depth + 1))
                        {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (n.Length == 0)
                    {
                        return false;
                    }
                    p = p[1..];
                    n = n[1..];
                    break;
                case '[':
                    var close = p[1..].IndexOf(']');
                    if (close < 0 || n.Length == 0)
                    {
                        if (n.Length == 0 || n[0] != '[')
                        {
                            return false;
                        }
                        p = p[1..];
                        n = n[1..];
                        break;
                    }
                    var set = p.Slice(1, close);
                    var negate = set.Length > 0 && (set[0] == '!' || set[0] == '^');
                    if (negate)
                    {
                        set = set[1..];
                    }
                    if (InSet(set, n[0]) == negate)
                    {
                        return false;
                    }
                    p = p[(close + 2)..];
                    n = n[1..];
                    break;
                default:
                    if (n.Length == 0 || n[0] != p[0])
                    {
                        return false;
                    }
                    p = p[1..];
                    n = n[1..];
                    break;
            }
        }
        return n.Length == 0;
    }

    private static bool InSet(ReadOnlySpan<char> set, char c)
    {
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                if (c >= set[i] && c <= set[i + 2])
                {
                    return true;
                }
                i += 2;
            }
            else if (set[i] == c)
            {
                return true;
            }
        }
        return false;
    }

    public static string Describe(IEnumerable<string> paths)
    {
        var builder = new StringBuilder();
        foreach (var path in paths)
        {
            builder.Append(builder.Length == 0 ? "" : ", ").Append(path);
        }
        return builder.ToString();
    }
}
