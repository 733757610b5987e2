namespace Vigil.Config.Syntax;

/// <summary>One statement of the generic syntax tree: keyword, arguments and, for a block, children.</summary>
internal sealed class ConfigNode(string keyword, string[] args, SourceLocation at)
{
    public string Keyword { get; } = keyword;

    public string[] Args { get; } = args;

    public SourceLocation At { get; } = at;

    /// <summary>Null when the statement has no '{...}' block.</summary>
    public List<ConfigNode>? Children { get; set; }

    /// <summary>The keyword followed by its arguments: the whole line, as list blocks want it.</summary>
    public string[] Words => [Keyword, .. Args];

    public override string ToString() => $"{At}: {string.Join(' ', Words)}{(Children is null ? "" : " {...}")}";
}

/// <summary>Builds the generic tree from tokens: a statement ends at the end of its line, '{' opens a block
/// for the statement before it (on the same line or the previous one), '}' closes it.</summary>
internal static class SyntaxParser
{
    public static List<ConfigNode> Parse(List<Token> tokens, DiagnosticBag diagnostics, int maxDepth)
    {
        var root = new List<ConfigNode>();
        var stack = new Stack<(List<ConfigNode> Children, ConfigNode? Owner)>();
        stack.Push((root, null));
        var words = new List<string>();
        var start = default(SourceLocation);
        ConfigNode? last = null;
        var skipDepth = 0;

        void Finish()
        {
            if (words.Count == 0)
            {
                return;
            }
            var args = words.Count == 1 ? [] : new string[words.Count - 1];
            words.CopyTo(1, args, 0, args.Length);
            var node = new ConfigNode(words[0], args, start);
            if (skipDepth == 0)
            {
                stack.Peek().Children.Add(node);
            }
            last = node;
            words.Clear();
        }

        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case TokenKind.Word:
                    if (words.Count == 0)
                    {
                        start = token.At;
                    }
                    words.Add(token.Text);
                    break;
                case TokenKind.EndOfLine:
                    Finish();
                    break;
                case TokenKind.Open:
                    Finish();
                    if (skipDepth > 0 || stack.Count > maxDepth)
                    {
                        if (skipDepth == 0)
                        {
                            diagnostics.Error(token.At, $"blocks nested deeper than {maxDepth}; the block is skipped");
                        }
                        skipDepth++;
                        break;
                    }
                    if (last is null || last.Children is not null)
                    {
                        diagnostics.Error(token.At, "'{' without a keyword before it");
                        last = new ConfigNode("{", [], token.At);
                    }
                    last.Children = [];
                    stack.Push((last.Children, last));
                    last = null;
                    break;
                case TokenKind.Close:
                    Finish();
                    last = null;
                    if (skipDepth > 0)
                    {
                        skipDepth--;
                        break;
                    }
                    if (stack.Count == 1)
                    {
                        diagnostics.Error(token.At, "Extra '}' found");
                        break;
                    }
                    stack.Pop();
                    break;
            }
        }
        Finish();
        if (stack.Count > 1 || skipDepth > 0)
        {
            var owner = stack.Peek().Owner;
            diagnostics.Error(owner?.At ?? default,
                $"There are {stack.Count - 1 + skipDepth} missing '}}'s or extra '{{'s (block '{owner?.Keyword}' is not closed)");
        }
        return root;
    }
}
