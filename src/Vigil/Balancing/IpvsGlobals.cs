using System.Globalization;
using Vigil.Config;
using Vigil.Linux.Ipvs;

namespace Vigil.Balancing;

/// <summary>lvs_flush_on_stop / lvs_flush_onstop.</summary>
internal enum LvsFlushOnStop
{
    /// <summary>Not given: vigil removes the services it created, one by one.</summary>
    No,

    /// <summary>The bare keyword: the whole IPVS table is flushed, also services vigil did not create.</summary>
    All,

    /// <summary>"VS": each of vigil's services is deleted without deleting its destinations first (the kernel drops them).</summary>
    VirtualServers,
}

/// <summary>
/// The IPVS knobs of global_defs: lvs_timeouts, lvs_flush and lvs_flush_on_stop. They apply only on the
/// IPVS data plane (nftables has no such tables).
/// </summary>
/// <param name="Timeouts">lvs_timeouts; a 0 field leaves that timeout as the kernel has it.</param>
internal sealed record IpvsGlobals(IpvsTimeouts? Timeouts, bool FlushAtStart, LvsFlushOnStop FlushOnStop)
{
    /// <summary>keepalived's LVS_MAX_TIMEOUT: 31 days.</summary>
    public const uint MaxTimeout = 86400 * 31;

    public static readonly IpvsGlobals None = new(null, false, LvsFlushOnStop.No);

    /// <summary>Reads the keywords from <paramref name="globalDefs"/>; what cannot be used goes to <paramref name="problems"/>.</summary>
    public static IpvsGlobals From(GlobalDefsConfig globalDefs, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(globalDefs);
        ArgumentNullException.ThrowIfNull(problems);
        IpvsTimeouts? timeouts = null;
        var flushOnStop = LvsFlushOnStop.No;
        foreach (var setting in globalDefs.Other)
        {
            switch (setting.Keyword)
            {
                case "lvs_timeouts":
                    timeouts = ParseTimeouts(setting.Args, problems) ?? timeouts;
                    break;
                case "lvs_flush_on_stop" or "lvs_flush_onstop":
                    if (setting.Args.Count == 0) flushOnStop = LvsFlushOnStop.All;
                    else if (string.Equals(setting.Args[0], "VS", StringComparison.OrdinalIgnoreCase)) flushOnStop = LvsFlushOnStop.VirtualServers;
                    else problems.Add($"{setting.Keyword}: unknown option '{setting.Args[0]}' (expected nothing or VS)");
                    break;
            }
        }
        return new IpvsGlobals(timeouts, globalDefs.LvsFlush, flushOnStop);
    }

    /// <summary>lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS]: at least one, each 1 to 31 days.</summary>
    internal static IpvsTimeouts? ParseTimeouts(IReadOnlyList<string> args, ICollection<string> problems)
    {
        uint tcp = 0, fin = 0, udp = 0;
        var any = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is not ("tcp" or "tcpfin" or "udp"))
            {
                problems.Add($"lvs_timeouts: unknown option '{name}' (expected tcp, tcpfin or udp)");
                continue;
            }
            if (i + 1 >= args.Count || !uint.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is 0 or > MaxTimeout)
            {
                problems.Add($"lvs_timeouts: {name} needs a number of seconds from 1 to {MaxTimeout}");
                i++;
                continue;
            }
            i++;
            any = true;
            switch (name)
            {
                case "tcp": tcp = value; break;
                case "tcpfin": fin = value; break;
                default: udp = value; break;
            }
        }
        if (!any)
        {
            problems.Add("lvs_timeouts: at least one of tcp, tcpfin and udp is needed");
            return null;
        }
        return new IpvsTimeouts(tcp, fin, udp);
    }
}
