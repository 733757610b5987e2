namespace Vigil.Config;

/// <summary>keepalived -t: check a configuration, print the diagnostics, return keepalived's exit code.</summary>
public static class ConfigTest
{
    /// <summary>The configuration is clean.</summary>
    public const int ExitOk = 0;

    // keepalived compat: observed with 2.2.7 `keepalived -t` (its man page says 3/4/5, the binary returns
    // 5 for any configuration problem, warnings such as "no protocol set" included, and 6 for scripts
    // without enable_script_security). A plain include that matches nothing still exits 0.

    /// <summary>The configuration has problems (errors or warnings).</summary>
    public const int ExitConfigProblems = 5;

    /// <summary>The configuration is clean but would run scripts without enable_script_security.</summary>
    public const int ExitScriptSecurity = 6;

    public static int Run(string path, ConfigLoadOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var result = ConfigLoader.Load(path, options);
        foreach (var diagnostic in result.Diagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }
        return ExitCodeOf(result);
    }

    public static int ExitCodeOf(ConfigLoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.HasProblems)
        {
            return ExitConfigProblems;
        }
        return result.Diagnostics.Any(d => d.IsScriptSecurity) ? ExitScriptSecurity : ExitOk;
    }
}
