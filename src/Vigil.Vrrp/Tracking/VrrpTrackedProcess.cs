using System.Globalization;

namespace Vigil.Vrrp.Tracking;

/// <summary>How a vrrp_track_process matches a running process (keepalived's process / param_match / full_command).</summary>
/// <param name="Process">The `process` name (matched against /proc/PID/comm, or argv[0] with full_command).</param>
/// <param name="Parameters">The arguments after the name; none means "any arguments" unless full_command.</param>
/// <param name="ParamMatch">null (exact), "initial" (argv starts with them) or "partial" (contained).</param>
/// <param name="FullCommand">Match argv[0] as written instead of comm.</param>
public sealed record VrrpTrackedProcess(string Process, IReadOnlyList<string> Parameters, string? ParamMatch, bool FullCommand)
{
    // The kernel keeps at most 15 characters of the command name in /proc/PID/comm.
    private const int CommLength = 15;

    public bool Matches(string comm, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(comm);
        ArgumentNullException.ThrowIfNull(arguments);
        var shortName = Process.Length > CommLength ? Process[..CommLength] : Process;
        if (Parameters.Count == 0 && !FullCommand)
        {
            return comm == shortName;
        }

        if (arguments.Count == 0 || (FullCommand ? arguments[0] != Process : comm != shortName))
        {
            return false;
        }

        var args = arguments.Skip(1).ToArray();
        return ParamMatch switch
        {
            "initial" => args.Length >= Parameters.Count && args.Take(Parameters.Count).SequenceEqual(Parameters),
            "partial" => string.Join(' ', args).Contains(string.Join(' ', Parameters), StringComparison.Ordinal),
            _ => args.SequenceEqual(Parameters),
        };
    }

    /// <summary>Up when the count of matching processes is within quorum..quorum_max.</summary>
    public static bool IsUp(int count, int quorum, int? quorumMax) => count >= quorum && (quorumMax is not { } max || count <= max);

    /// <summary>/proc/PID/cmdline: NUL-separated arguments, NUL-terminated (empty for kernel threads).</summary>
    public static IReadOnlyList<string> ParseCmdline(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.TrimEnd('\0');
        return trimmed.Length == 0 ? [] : trimmed.Split('\0');
    }
}

/// <summary>A track_file's content as keepalived reads it.</summary>
public static class VrrpTrackFileValue
{
    /// <summary>The file's first number; absent, empty or not a number reads as 0.</summary>
    public static int Parse(string? text)
    {
        var word = text?.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return word is not null && long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? (int)Math.Clamp(v, -254L * 254, 254L * 254)
            : 0;
    }
}
