using System.Globalization;
using System.Text;

namespace Vigil.Config.Syntax;

/// <summary>
/// Turns the main file and everything it includes into one token stream: strips '#'/'!' comments,
/// applies '@ID' conditionals, defines and substitutes '$NAME' parameters, expands '~SEQ'/'~LST'
/// loops and reads 'include' files. Every token keeps its file and line. Problems become diagnostics.
/// </summary>
internal sealed partial class Preprocessor
{
    private readonly ConfigLoadOptions _options;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly List<string> _includeStack = [];
    private readonly List<Token> _tokens = [];
    private bool _tokenLimitReported;
    private int _loopDepth;
    private int _loopLines;
    private bool _loopLimitReported;

    public Preprocessor(ConfigLoadOptions options, DiagnosticBag diagnostics)
    {
        _options = options;
        _diagnostics = diagnostics;
    }

    public List<Token> Run(string path)
    {
        var full = ConfigPath.Combine("/", path);
        if (!_options.FileSystem.FileExists(full))
        {
            _diagnostics.Error(new(path, 0), "configuration file does not exist or cannot be read");
            return _tokens;
        }
        ReadFile(full, new SourceLocation(path, 0));
        return _tokens;
    }

    /// <summary>Tokenizes text of a single line-less source; used for parameters in tests.</summary>
    public List<Token> RunText(string fileName, string text)
    {
        _includeStack.Add(fileName);
        ProcessText(fileName, text);
        _includeStack.RemoveAt(_includeStack.Count - 1);
        return _tokens;
    }

    private void ReadFile(string path, SourceLocation includedFrom)
    {
        if (_includeStack.Contains(path, StringComparer.Ordinal))
        {
            _diagnostics.Error(includedFrom, $"include loop: '{path}' is already being read ({string.Join(" -> ", _includeStack)})");
            return;
        }
        if (_includeStack.Count >= _options.MaxIncludeDepth)
        {
            _diagnostics.Error(includedFrom, $"includes nested deeper than {_options.MaxIncludeDepth} levels at '{path}'");
            return;
        }
        var length = _options.FileSystem.FileLength(path);
        if (length is null)
        {
            _diagnostics.Error(includedFrom, $"cannot read '{path}'");
            return;
        }
        if (length > _options.MaxFileBytes)
        {
            _diagnostics.Error(includedFrom.Line == 0 ? new(path, 0) : includedFrom,
                $"'{path}' is {length} bytes, more than the limit of {_options.MaxFileBytes} bytes; not read");
            return;
        }
        string text;
        try
        {
            text = _options.FileSystem.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _diagnostics.Error(includedFrom, $"cannot read '{path}': {e.Message}");
            return;
        }
        _includeStack.Add(path);
        ProcessText(path, text);
        _includeStack.RemoveAt(_includeStack.Count - 1);
    }

    private string CurrentFile => _includeStack[^1];

    private void ProcessText(string file, string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (TokenLimitReached)
            {
                return;
            }
            var at = new SourceLocation(file, i + 1);
            var line = Lexer.StripComment(lines[i].TrimEnd('\r')).Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] == '@')
            {
                if (!ConditionHolds(ref line))
                {
                    continue;
                }
                if (line.Length == 0)
                {
                    continue;
                }
            }
            if (line[0] == '$' && TryParseDefinition(line, out var name, out var value))
            {
                // A trailing '\' continues the definition on the next line; the value keeps the line breaks.
                var builder = new StringBuilder();
                while (value.EndsWith('\\') && i + 1 < lines.Length)
                {
                    builder.Append(value.AsSpan(0, value.Length - 1).TrimEnd()).Append('\n');
                    i++;
                    value = Lexer.StripComment(lines[i].TrimEnd('\r')).Trim();
                }
                builder.Append(value.TrimEnd('\\').TrimEnd());
                _parameters[name] = builder.ToString();
                continue;
            }
            ProcessLine(line, at);
        }
    }

    /// <summary>'@ID rest' keeps rest only when ID is the config id; '@^ID rest' only when it is not.</summary>
    private bool ConditionHolds(ref string line)
    {
        var end = line.AsSpan().IndexOfAny(' ', '\t');
        var id = end < 0 ? line[1..] : line[1..end];
        line = end < 0 ? string.Empty : line[end..].Trim();
        var negate = id.StartsWith('^');
        if (negate)
        {
            id = id[1..];
        }
        var matches = _options.ConfigId is not null && string.Equals(id, _options.ConfigId, StringComparison.Ordinal);
        return matches != negate;
    }

    private static bool TryParseDefinition(string line, out string name, out string value)
    {
        name = value = string.Empty;
        var i = 1;
        while (i < line.Length && IsNameChar(line[i]))
        {
            i++;
        }
        if (i == 1 || i >= line.Length || line[i] != '=' || char.IsDigit(line[1]))
        {
            return false;
        }
        name = line[1..i];
        value = line[(i + 1)..].Trim();
        return true;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private void ProcessLine(string line, SourceLocation at)
    {
        var expanded = Substitute(line, at);
        if (expanded is null)
        {
            return;
        }
        if (!expanded.Contains('\n', StringComparison.Ordinal))
        {
            ProcessExpandedLine(expanded, at);
            return;
        }
        foreach (var part in expanded.Split('\n'))
        {
            var piece = part.Trim();
            if (piece.Length > 0)
            {
                ProcessExpandedLine(piece, at);
            }
        }
    }

    private void ProcessExpandedLine(string line, SourceLocation at)
    {
        if (line.StartsWith("~SEQ", StringComparison.Ordinal) || line.StartsWith("~LST", StringComparison.Ordinal))
        {
            ExpandLoop(line, at);
            return;
        }
        var firstEnd = line.AsSpan().IndexOfAny(' ', '\t');
        if (line.StartsWith("include", StringComparison.Ordinal)
            && IncludeKind.TryParse(firstEnd < 0 ? line : line[..firstEnd], out var kind))
        {
            var rest = firstEnd < 0 ? string.Empty : line[firstEnd..].Trim();
            Include(kind, rest, at);
            return;
        }
        Tokenize(line, at);
    }

    // ---- parameters ----

    /// <summary>Replaces $NAME and ${NAME}; undefined names stay as written. Null when the bound is hit.</summary>
    private string? Substitute(string line, SourceLocation at)
    {
        if (!line.Contains('$', StringComparison.Ordinal))
        {
            return line;
        }
        var text = new StringBuilder(line);
        var substitutions = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                i++;
                continue;
            }
            int end;
            string name;
            if (text[i + 1] == '{')
            {
                end = IndexOf(text, '}', i + 2);
                if (end < 0)
                {
                    i++;
                    continue;
                }
                name = text.ToString(i + 2, end - i - 2).Trim();
                end++;
            }
            else
            {
                end = i + 1;
                while (end < text.Length && IsNameChar(text[end]))
                {
                    end++;
                }
                name = text.ToString(i + 1, end - i - 1);
            }
            var value = name.Length == 0 ? null : Lookup(name);
            if (value is null)
            {
                i++;
                continue;
            }
            if (++substitutions > _options.MaxSubstitutionsPerLine
                || text.Length - (end - i) + value.Length > _options.MaxExpandedLineLength)
            {
                _diagnostics.Error(at, $"parameter expansion of '${name}' exceeds the limit (recursive definition?); line skipped");
                return null;
            }
            text.Remove(i, end - i).Insert(i, value);
            // Lazy and recursive: the inserted value is scanned again, from where it starts.
        }
        return text.ToString();
    }

    private static int IndexOf(StringBuilder text, char c, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == c)
            {
                return i;
            }
        }
        return -1;
    }

    private string? Lookup(string name)
    {
        if (_parameters.TryGetValue(name, out var value))
        {
            return value;
        }
        switch (name)
        {
            case "_PWD":
                return ConfigPath.DirectoryOf(CurrentFile);
            case "_INSTANCE":
                return _options.InstanceName;
            case "_HASH":
                return "#";
            case "_BANG":
                return "!";
        }
        if (name.StartsWith("_ENV ", StringComparison.Ordinal) && _options.Environment is { } environment)
        {
            return environment(name[5..].Trim());
        }
        return null;
    }

    // ---- includes ----

    private void Include(IncludeKind kind, string rest, SourceLocation at)
    {
        // Braces belong to the glob here, so the words are split on blanks only.
        var patterns = Lexer.SplitWords(rest);
        if (patterns.Count == 0)
        {
            _diagnostics.Error(at, $"'{kind.Keyword}' needs a file name or pattern");
            return;
        }
        var directory = ConfigPath.DirectoryOf(CurrentFile);
        foreach (var pattern in patterns)
        {
            var matched = new List<string>();
            foreach (var alternative in Glob.ExpandBraces(pattern))
            {
                var absolute = ConfigPath.Combine(directory, alternative);
                var files = Glob.HasWildcards(absolute)
                    ? Glob.Match(_options.FileSystem, absolute)
                    : _options.FileSystem.FileExists(absolute) ? [absolute] : [];
                if (files.Count == 0)
                {
                    if (kind.RequireWildcardMatch && Glob.HasWildcards(alternative))
                    {
                        _diagnostics.Error(at, $"{kind.Keyword}: no file matches '{alternative}'");
                    }
                    else if (kind.RequireBraceMatch && alternative != pattern)
                    {
                        _diagnostics.Error(at, $"{kind.Keyword}: no file matches brace alternative '{alternative}'");
                    }
                }
                matched.AddRange(files);
            }
            if (matched.Count == 0)
            {
                if (kind.RequireMatch)
                {
                    _diagnostics.Error(at, $"{kind.Keyword}: no file matches '{pattern}'");
                }
                else
                {
                    // keepalived compat: a plain include of a missing file is logged but -t still passes.
                    _diagnostics.Note(at, $"Config files missing '{pattern}'");
                }
                continue;
            }
            foreach (var file in matched.Distinct(StringComparer.Ordinal))
            {
                if (kind.RequireReadable && _options.FileSystem.FileLength(file) is null)
                {
                    _diagnostics.Error(at, $"{kind.Keyword}: '{file}' is not readable");
                    continue;
                }
                ReadFile(file, at);
            }
        }
    }

    // ---- tokens ----

    private bool TokenLimitReached
    {
        get
        {
            if (_tokens.Count < _options.MaxTokens)
            {
                return false;
            }
            if (!_tokenLimitReported)
            {
                _tokenLimitReported = true;
                _diagnostics.Error(new(_includeStack.Count > 0 ? CurrentFile : "", 0),
                    $"configuration has more than {_options.MaxTokens} tokens; the rest is ignored");
            }
            return true;
        }
    }

    private void Tokenize(string line, SourceLocation at)
    {
        if (!TokenLimitReached)
        {
            Lexer.TokenizeInto(line, at, _tokens);
            _tokens.Add(new Token(TokenKind.EndOfLine, string.Empty, at));
        }
    }
}

/// <summary>include and its checking variants (keepalived.conf(5) "include").</summary>
internal readonly record struct IncludeKind(string Keyword, bool RequireReadable, bool RequireMatch, bool RequireWildcardMatch, bool RequireBraceMatch)
{
    public static bool TryParse(string keyword, out IncludeKind kind)
    {
        kind = keyword switch
        {
            "include" => new(keyword, false, false, false, false),
            "includer" => new(keyword, true, false, false, false),
            "includem" => new(keyword, false, true, false, false),
            "includew" => new(keyword, false, false, true, false),
            "includeb" => new(keyword, false, false, false, true),
            "includea" => new(keyword, true, true, true, true),
            _ => default,
        };
        return kind.Keyword is not null;
    }
}
