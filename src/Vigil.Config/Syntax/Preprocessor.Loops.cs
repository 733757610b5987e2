using System.Globalization;

namespace Vigil.Config.Syntax;

/// <summary>~SEQ(var,start,step,end), ~SEQx (hex) and ~LST(var,v1,...) repeat the rest of the line.</summary>
internal sealed partial class Preprocessor
{
    // ---- loops ----

    private void ExpandLoop(string line, SourceLocation at)
    {
        var open = line.IndexOf('(', StringComparison.Ordinal);
        var close = FindClosingParen(line, open);
        if (open < 0 || close < 0)
        {
            _diagnostics.Error(at, $"malformed loop '{line}'");
            return;
        }
        var kind = line[..open];
        var args = SplitTopLevel(line[(open + 1)..close]);
        var rest = line[(close + 1)..].Trim();
        if (_loopDepth > 8)
        {
            _diagnostics.Error(at, "loops nested deeper than 8");
            return;
        }
        if (kind is "~SEQ" or "~SEQx")
        {
            ExpandSeq(kind == "~SEQx", args, rest, at);
        }
        else if (kind == "~LST")
        {
            ExpandList(args, rest, at);
        }
        else
        {
            _diagnostics.Error(at, $"unknown loop '{kind}'");
        }
    }

    private void ExpandSeq(bool hex, List<string> args, string rest, SourceLocation at)
    {
        if (args.Count is < 2 or > 4)
        {
            _diagnostics.Error(at, "~SEQ needs (var,end), (var,start,end) or (var,start,step,end)");
            return;
        }
        var numbers = new long[args.Count - 1];
        for (var i = 1; i < args.Count; i++)
        {
            if (!long.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out numbers[i - 1]))
            {
                _diagnostics.Error(at, $"~SEQ value '{args[i]}' is not an integer");
                return;
            }
        }
        var (start, step, end) = numbers.Length switch
        {
            1 => (1L, 1L, numbers[0]),
            2 => (numbers[0], 1L, numbers[1]),
            _ => (numbers[0], numbers[1], numbers[2]),
        };
        if (step == 0 || (step > 0 && start > end) || (step < 0 && start < end))
        {
            _diagnostics.Error(at, "~SEQ step does not reach the end");
            return;
        }
        var count = (end - start) / step + 1;
        if (count > 100_000)
        {
            _diagnostics.Error(at, $"~SEQ would repeat {count} times, more than 100000");
            return;
        }
        var values = new List<string>();
        for (var v = start; step > 0 ? v <= end : v >= end; v += step)
        {
            values.Add(hex ? v.ToString("x", CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture));
        }
        Repeat([args[0].Trim()], values.Select(v => new[] { v }).ToList(), rest, at);
    }

    private void ExpandList(List<string> args, string rest, SourceLocation at)
    {
        if (args.Count < 2)
        {
            _diagnostics.Error(at, "~LST needs (var,value,...)");
            return;
        }
        var names = Unbrace(args[0]);
        var rows = new List<string[]>();
        foreach (var arg in args.Skip(1))
        {
            var values = Unbrace(arg);
            if (values.Length != names.Length)
            {
                _diagnostics.Error(at, $"~LST entry '{arg}' has {values.Length} values for {names.Length} variables");
                return;
            }
            rows.Add(values);
        }
        Repeat(names, rows, rest, at);
    }

    private static string[] Unbrace(string arg)
    {
        var trimmed = arg.Trim();
        return trimmed.StartsWith('{') && trimmed.EndsWith('}')
            ? SplitTopLevel(trimmed[1..^1]).Select(s => s.Trim()).ToArray()
            : [trimmed];
    }

    private void Repeat(string[] names, List<string[]> rows, string rest, SourceLocation at)
    {
        var saved = names.Select(n => _parameters.TryGetValue(n, out var v) ? v : null).ToArray();
        _loopDepth++;
        foreach (var row in rows)
        {
            if (TokenLimitReached)
            {
                break;
            }
            if (++_loopLines > _options.MaxLoopLines)
            {
                if (!_loopLimitReported)
                {
                    _loopLimitReported = true;
                    _diagnostics.Error(at, $"loops produce more than {_options.MaxLoopLines} lines; the rest is ignored");
                }
                break;
            }
            for (var i = 0; i < names.Length; i++)
            {
                _parameters[names[i]] = row[i];
            }
            ProcessLine(rest, at);
        }
        _loopDepth--;
        for (var i = 0; i < names.Length; i++)
        {
            if (saved[i] is { } old)
            {
                _parameters[names[i]] = old;
            }
            else
            {
                _parameters.Remove(names[i]);
            }
        }
    }

    private static int FindClosingParen(string line, int open)
    {
        if (open < 0)
        {
            return -1;
        }
        var depth = 0;
        for (var i = open; i < line.Length; i++)
        {
            depth += line[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return i;
            }
        }
        return -1;
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '{' or '(':
                    depth++;
                    break;
                case '}' or ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }
        parts.Add(text[start..].Trim());
        return parts;
    }
}
