using Vigil.Config.Binding;
using Vigil.Config.Syntax;

namespace Vigil.Config;

/// <summary>The outcome of loading: the model (null when the main file could not be read) and every diagnostic.</summary>
public sealed record ConfigLoadResult(KeepalivedConfig? Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == ConfigSeverity.Error);

    /// <summary>What keepalived -t would report as a configuration problem (errors and warnings).</summary>
    public bool HasProblems => Config is null || Diagnostics.Any(d => d.Severity != ConfigSeverity.Note && !d.IsScriptSecurity);
}

/// <summary>Reads keepalived.conf with its includes into a validated <see cref="KeepalivedConfig"/>.
/// Never throws for bad input: every problem is a diagnostic with file and line.</summary>
public static class ConfigLoader
{
    public static ConfigLoadResult Load(string path, ConfigLoadOptions? options = null)
    {
        options ??= new ConfigLoadOptions();
        var diagnostics = new DiagnosticBag();
        var tokens = new Preprocessor(options, diagnostics).Run(path);
        if (diagnostics.Items.Any(d => d.Line == 0 && d.Severity == ConfigSeverity.Error && d.File == path) && tokens.Count == 0)
        {
            return new ConfigLoadResult(null, diagnostics.Items.ToList());
        }
        return Finish(tokens, options, diagnostics);
    }

    /// <summary>Loads configuration text directly (for tests, and for checking a dump).</summary>
    public static ConfigLoadResult LoadText(string text, ConfigLoadOptions? options = null, string fileName = "/etc/keepalived/keepalived.conf")
    {
        options ??= new ConfigLoadOptions();
        var fs = options.FileSystem is InMemoryFileSystem memory ? memory : new InMemoryFileSystem();
        fs.Add(fileName, text);
        return Load(fileName, options with { FileSystem = fs });
    }

    private static ConfigLoadResult Finish(List<Token> tokens, ConfigLoadOptions options, DiagnosticBag diagnostics)
    {
        var roots = SyntaxParser.Parse(tokens, diagnostics, options.MaxBlockDepth);
        var ctx = new BindContext(options, diagnostics);
        var config = ConfigBinder.Bind(ctx, roots);
        config = ConfigValidator.Validate(ctx, config);
        return new ConfigLoadResult(config, diagnostics.Items.ToList());
    }
}
