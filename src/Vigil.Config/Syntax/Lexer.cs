using System.Text;

namespace Vigil.Config.Syntax;

/// <summary>Splits one preprocessed line into tokens, and cuts comments.</summary>
internal static class Lexer
{
    /// <summary>Splits on blanks; '{' and '}' stand alone outside quotes; quotes group and may be joined
    /// to surrounding text as in a shell; inside "..." a backslash escapes the next character.</summary>
    internal static void TokenizeInto(string line, SourceLocation at, List<Token> output)
    {
        var current = new StringBuilder();
        var inWord = false;
        var i = 0;
        void Flush()
        {
            if (inWord)
            {
                output.Add(new Token(TokenKind.Word, current.ToString(), at));
                current.Clear();
                inWord = false;
            }
        }
        while (i < line.Length)
        {
            var c = line[i];
            if (c is ' ' or '\t' or '\v' or '\f')
            {
                Flush();
                i++;
            }
            else if (c is '{' or '}')
            {
                Flush();
                output.Add(new Token(c == '{' ? TokenKind.Open : TokenKind.Close, c.ToString(), at));
                i++;
            }
            else if (c is '"' or '\'')
            {
                inWord = true;
                i++;
                while (i < line.Length && line[i] != c)
                {
                    if (c == '"' && line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        current.Append(line[i] switch { 'n' => '\n', 't' => '\t', var other => other });
                    }
                    else
                    {
                        current.Append(line[i]);
                    }
                    i++;
                }
                i++;
            }
            else if (!inWord)
            {
                // Fast path: a plain word (no quotes) is cut out of the line without copying twice.
                var end = i;
                while (end < line.Length && line[end] is not (' ' or '\t' or '\v' or '\f' or '{' or '}' or '"' or '\''))
                {
                    end++;
                }
                if (end == line.Length || line[end] is not ('"' or '\''))
                {
                    output.Add(new Token(TokenKind.Word, line.Substring(i, end - i), at));
                    i = end;
                    continue;
                }
                inWord = true;
                current.Append(line, i, end - i);
                i = end;
            }
            else
            {
                current.Append(c);
                i++;
            }
        }
        Flush();
    }

    internal static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var quote = '\0';
        foreach (var c in text)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
        return words;
    }

    /// <summary>Cuts a line at the first '#' or '!' outside quotes.</summary>
    internal static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is '#' or '!')
            {
                return line[..i];
            }
        }
        return line;
    }
}
