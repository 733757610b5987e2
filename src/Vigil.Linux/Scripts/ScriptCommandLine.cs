using System.Text;

namespace Vigil.Linux.Scripts;

/// <summary>
/// A script line split into argv as keepalived splits it: words separated by blanks, "double" and 'single'
/// quotes group words (and are removed), a backslash escapes the next character. A line with shell syntax
/// (pipes, redirections, ;, &amp;, $, backquotes, globs) outside quotes runs under /bin/sh -c instead.
/// </summary>
public sealed record ScriptCommandLine(string Text, IReadOnlyList<string> Arguments, bool NeedsShell)
{
    private const string ShellCharacters = "|&;<>()$`*?[]~{}";

    /// <summary>The executable (the first word), what the security check and the existence check look at.</summary>
    public string Program => Arguments.Count > 0 ? Arguments[0] : string.Empty;

    /// <summary>What to exec: the words, or /bin/sh -c LINE when the line needs a shell.</summary>
    public IReadOnlyList<string> ExecArguments => NeedsShell ? ["/bin/sh", "-c", Text] : Arguments;

    /// <summary>This line with extra arguments (the notify script's INSTANCE name state priority), quoted for the shell when needed.</summary>
    public ScriptCommandLine WithArguments(IReadOnlyList<string> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var text = NeedsShell ? Text + string.Concat(extra.Select(a => " '" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'")) : Text;
        return this with { Text = text, Arguments = [.. Arguments, .. extra] };
    }

    public static ScriptCommandLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var needsShell = false;
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < line.Length)
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }
                continue;
            }

            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                    break;
                case '"' or '\'':
                    quote = c;
                    inWord = true;
                    break;
                case '\\' when i + 1 < line.Length:
                    word.Append(line[++i]);
                    inWord = true;
                    break;
                default:
                    needsShell |= ShellCharacters.Contains(c, StringComparison.Ordinal);
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return new ScriptCommandLine(line.Trim(), words, needsShell);
    }
}
