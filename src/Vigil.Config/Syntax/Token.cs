namespace Vigil.Config.Syntax;

internal enum TokenKind
{
    Word,
    Open,
    Close,
    EndOfLine,
}

internal readonly record struct Token(TokenKind Kind, string Text, SourceLocation At);
