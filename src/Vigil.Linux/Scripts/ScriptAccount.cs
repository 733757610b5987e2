using System.Globalization;

namespace Vigil.Linux.Scripts;

/// <summary>The user (and group) a script runs as: script_user / vrrp_script user.</summary>
public sealed record ScriptAccount(string Name, uint Uid, uint Gid)
{
    public static readonly ScriptAccount Root = new("root", 0, 0);

    public bool IsRoot => Uid == 0;

    /// <summary>
    /// Looks a user (and optional group) up in the text of /etc/passwd and /etc/group. Numeric ids are taken
    /// as they are. Null when the user or group does not exist.
    /// </summary>
    public static ScriptAccount? Resolve(string user, string? group, string passwdText, string groupText)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(passwdText);
        ArgumentNullException.ThrowIfNull(groupText);
        ScriptAccount? account = null;
        foreach (var fields in Lines(passwdText))
        {
            if (fields.Length >= 4 && (fields[0] == user || fields[2] == user)
                && uint.TryParse(fields[2], CultureInfo.InvariantCulture, out var uid) && uint.TryParse(fields[3], CultureInfo.InvariantCulture, out var gid))
            {
                account = new ScriptAccount(fields[0], uid, gid);
                break;
            }
        }

        if (account is null && uint.TryParse(user, CultureInfo.InvariantCulture, out var numeric))
        {
            account = new ScriptAccount(user, numeric, numeric);
        }

        if (account is null || group is null)
        {
            return account;
        }

        foreach (var fields in Lines(groupText))
        {
            if (fields.Length >= 3 && (fields[0] == group || fields[2] == group) && uint.TryParse(fields[2], CultureInfo.InvariantCulture, out var gid))
            {
                return account with { Gid = gid };
            }
        }

        return uint.TryParse(group, CultureInfo.InvariantCulture, out var g) ? account with { Gid = g } : null;
    }

    /// <summary>
    /// keepalived compat: the default script user is keepalived_script when that user exists, else root.
    /// </summary>
    public static ScriptAccount Default(string passwdText) =>
        Resolve("keepalived_script", null, passwdText, string.Empty) ?? Root;

    /// <summary>Reads the system's account files (missing files read as empty).</summary>
    public static (string Passwd, string Group) ReadSystemFiles() => (ReadOrEmpty("/etc/passwd"), ReadOrEmpty("/etc/group"));

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static IEnumerable<string[]> Lines(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(':'));
}
