namespace Vigil.Linux.Scripts;

/// <summary>The outcome of checking a script before it is used.</summary>
public enum ScriptCheckResult
{
    Ok,

    /// <summary>"Script X cannot be accessed - No such file or directory".</summary>
    NotAccessible,

    /// <summary>Modifiable by a non-root user, and run as root. With enable_script_security the script is not used.</summary>
    Unsafe,
}

/// <summary>A check's result and the log line keepalived prints for it (null when Ok).</summary>
public readonly record struct ScriptCheck(ScriptCheckResult Result, string? Message, string? ResolvedPath);

/// <summary>
/// keepalived's script checks: the program must exist (found on PATH when it has no slash), and with
/// enable_script_security a script run as root must not be modifiable by anyone but root: neither the file
/// nor any directory above it may be owned by a non-root user, group-writable by a non-root group, or
/// world-writable (a world-writable directory with the sticky bit, such as /tmp, is fine).
/// keepalived compat (observed on 2.2.7): scripts run as a non-root script_user are not checked; without
/// enable_script_security an unsafe script is reported ("Unsafe permissions found for script 'X'.") and still run,
/// and the daemon logs <see cref="ViolationMessage"/> once.
/// </summary>
public static class ScriptSecurity
{
    private const uint GroupWrite = 0x10;
    private const uint OtherWrite = 0x02;
    private const uint Sticky = 0x200;

    /// <summary>Logged once when scripts run as root without enable_script_security (2.2.7 wording).</summary>
    public static string ViolationMessage(bool anyUnsafe) =>
        "SECURITY VIOLATION - scripts are being executed but script_security not enabled." + (anyUnsafe ? " There are insecure scripts." : string.Empty);

    public static ScriptCheck Check(ScriptCommandLine command, ScriptAccount runAs, bool enableScriptSecurity, Func<string, FileOwnership?>? stat = null,
        string? searchPath = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(runAs);
        stat ??= p => FileOwnership.Get(p, out _);
        var program = Resolve(command.Program, searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin", stat);
        if (program is null)
        {
            return new ScriptCheck(ScriptCheckResult.NotAccessible, $"Script {command.Program} cannot be accessed - No such file or directory", null);
        }

        if (!runAs.IsRoot)
        {
            return new ScriptCheck(ScriptCheckResult.Ok, null, program);
        }

        for (var path = program; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (stat(path) is not { } st || IsUnsafe(st))
            {
                // keepalived compat: with enable_script_security the script is disabled; without, only reported.
                return new ScriptCheck(ScriptCheckResult.Unsafe,
                    enableScriptSecurity ? $"Unsafe permissions found for script '{program}' - disabling." : $"Unsafe permissions found for script '{program}'.", program);
            }

            if (path == "/")
            {
                break;
            }
        }

        return new ScriptCheck(ScriptCheckResult.Ok, null, program);
    }

    /// <summary>True when someone other than root could change the file or directory (a non-root owner can always chmod it).</summary>
    public static bool IsUnsafe(FileOwnership st) =>
        st.Uid != 0
        || (st.Gid != 0 && (st.Mode & GroupWrite) != 0)
        || ((st.Mode & OtherWrite) != 0 && !(st.IsDirectory && (st.Mode & Sticky) != 0));

    private static string? Resolve(string program, string searchPath, Func<string, FileOwnership?> stat)
    {
        if (program.Length == 0)
        {
            return null;
        }

        if (program.Contains('/', StringComparison.Ordinal))
        {
            return stat(program) is { IsDirectory: false } ? Path.GetFullPath(program) : null;
        }

        foreach (var dir in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (stat(candidate) is { IsDirectory: false })
            {
                return candidate;
            }
        }

        return null;
    }
}
