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
                    timeouts = IpvsTimeouts.Parse([.. setting.Args], problems) ?? timeouts;
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
}
