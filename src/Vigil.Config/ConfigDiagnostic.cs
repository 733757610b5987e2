namespace Vigil.Config;

/// <summary>How serious a configuration problem is, in keepalived's terms.</summary>
public enum ConfigSeverity
{
    /// <summary>A value or block was rejected (ignored or removed); keepalived -t fails.</summary>
    Error,
    /// <summary>Accepted with an adjustment (default applied, option cleared); keepalived -t still fails.</summary>
    Warning,
    /// <summary>Logged by keepalived but does not fail -t (e.g. a plain include that matches nothing).</summary>
    Note,
}

/// <summary>One problem found in the configuration, naming where it is.</summary>
public sealed record ConfigDiagnostic(string File, int Line, ConfigSeverity Severity, string Message)
{
    /// <summary>Set on keepalived's "SECURITY VIOLATION" (scripts without enable_script_security): -t exits 6.</summary>
    public bool IsScriptSecurity { get; init; }

    public override string ToString()
    {
        var severity = Severity switch
        {
            ConfigSeverity.Error => "error",
            ConfigSeverity.Warning => "warning",
            _ => "note",
        };
        return Line > 0 ? $"{File}:{Line}: {severity}: {Message}" : $"{File}: {severity}: {Message}";
    }
}

/// <summary>Where a token, statement or block came from.</summary>
public readonly record struct SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>Collects diagnostics; config code never throws at the user.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<ConfigDiagnostic> _items = [];

    public IReadOnlyList<ConfigDiagnostic> Items => _items;

    public int Limit { get; init; } = 10_000;

    public void Add(ConfigDiagnostic diagnostic)
    {
        if (_items.Count < Limit)
        {
            _items.Add(diagnostic);
        }
    }

    public void Error(SourceLocation at, string message) => Add(new(at.File, at.Line, ConfigSeverity.Error, message));

    public void Warning(SourceLocation at, string message) => Add(new(at.File, at.Line, ConfigSeverity.Warning, message));

    public void Note(SourceLocation at, string message) => Add(new(at.File, at.Line, ConfigSeverity.Note, message));
}
