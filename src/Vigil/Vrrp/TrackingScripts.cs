using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux.Scripts;

namespace Vigil.Vrrp;

/// <summary>
/// Turns script lines (vrrp_script, notify*) into runnable invocations once: the account (vrrp_script user,
/// else global script_user, else keepalived_script / root), the existence check and, for scripts run as root,
/// the enable_script_security check, with keepalived's log lines.
/// </summary>
internal sealed partial class TrackingScripts
{
    private readonly GlobalDefsConfig _global;
    private readonly ILogger _log;
    private readonly Dictionary<(string, string?, string?), ScriptInvocation?> _cache = [];
    private readonly string _passwd;
    private readonly string _groups;
    private bool _anyRootScript;
    private bool _anyUnsafe;

    public TrackingScripts(GlobalDefsConfig global, ILogger log)
    {
        _global = global;
        _log = log;
        (_passwd, _groups) = ScriptAccount.ReadSystemFiles();
        DefaultAccount = global.ScriptUser is { } user
            ? ScriptAccount.Resolve(user, global.ScriptGroup, _passwd, _groups) ?? ScriptAccount.Root
            : ScriptAccount.Default(_passwd);
    }

    public ScriptAccount DefaultAccount { get; }

    /// <summary>The invocation for a line, or null when the script must not run (missing, unsafe, unknown user).</summary>
    public ScriptInvocation? Prepare(string line, string? user, string? group, TimeSpan? timeout)
    {
        if (_cache.TryGetValue((line, user, group), out var cached))
        {
            return cached is null ? null : cached with { Timeout = timeout };
        }

        ScriptInvocation? result = null;
        var account = user is null ? DefaultAccount : ScriptAccount.Resolve(user, group, _passwd, _groups);
        if (account is null)
        {
            LogUnknownUser(_log, user!, line);
        }
        else
        {
            var command = ScriptCommandLine.Parse(line);
            var check = ScriptSecurity.Check(command, account, _global.EnableScriptSecurity);
            if (check.Message is { } message)
            {
                LogCheck(_log, message);
            }

            _anyRootScript |= account.IsRoot && check.Result != ScriptCheckResult.NotAccessible;
            _anyUnsafe |= check.Result == ScriptCheckResult.Unsafe;
            var usable = check.Result == ScriptCheckResult.Ok || (check.Result == ScriptCheckResult.Unsafe && !_global.EnableScriptSecurity);
            result = usable ? new ScriptInvocation(command, account, timeout) : null;
        }

        _cache[(line, user, group)] = result;
        return result;
    }

    /// <summary>After every script was prepared: keepalived's SECURITY VIOLATION line when root scripts run unchecked.</summary>
    public void ReportSecurity()
    {
        if (_anyRootScript && !_global.EnableScriptSecurity)
        {
            LogViolation(_log, ScriptSecurity.ViolationMessage(_anyUnsafe));
        }
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogCheck(ILogger logger, string message);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogViolation(ILogger logger, string message);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Error, Message = "Unable to resolve script user '{User}' for script '{Line}' - disabling")]
    private static partial void LogUnknownUser(ILogger logger, string user, string line);
}
