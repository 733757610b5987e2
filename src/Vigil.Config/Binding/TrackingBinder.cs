using Vigil.Config.Syntax;

namespace Vigil.Config.Binding;

/// <summary>vrrp_script, track_file, vrrp_track_process, bfd_instance, garp_group and vrrp_sync_group.</summary>
internal static class TrackingBinder
{
    public static readonly KeywordMap<VrrpScriptConfig> ScriptMap = new KeywordMap<VrrpScriptConfig>("vrrp_script")
        .Add("script", (ctx, n, c) => c with { Script = ctx.Rest(n) ?? c.Script })
        .Add("interval", (ctx, n, c) => c with { Interval = ctx.TimerOr(n, 0, 0.000001, uint.MaxValue, c.Interval) })
        .Add("timeout", (ctx, n, c) => c with { Timeout = ctx.TimerOr(n, 0, 0.000001, uint.MaxValue, c.Timeout) })
        .Add("weight", (ctx, n, c) => WeightOf(ctx, n, 253) is var (w, r) ? c with { Weight = w ?? c.Weight, WeightReverse = r } : c)
        .Add("rise", (ctx, n, c) => c with { Rise = ctx.IntOr(n, 0, 1, int.MaxValue, c.Rise) })
        .Add("fall", (ctx, n, c) => c with { Fall = ctx.IntOr(n, 0, 1, int.MaxValue, c.Fall) })
        .Add("user", (ctx, n, c) => c with { User = ctx.Arg(n), Group = n.Args.Length > 1 ? n.Args[1] : null })
        .Add("init_fail", (ctx, n, c) => c with { InitFail = true });

    public static readonly KeywordMap<TrackFileConfig> FileMap = new KeywordMap<TrackFileConfig>("track_file")
        .Add("file", (ctx, n, c) => c with { File = ctx.Arg(n) ?? c.File })
        .Add("weight", (ctx, n, c) => WeightOf(ctx, n, 254) is var (w, r) ? c with { Weight = w ?? c.Weight, WeightReverse = r } : c)
        .Add("init_file", (ctx, n, c) =>
        {
            var value = 0;
            var overwrite = false;
            foreach (var arg in n.Args)
            {
                if (arg == "overwrite")
                {
                    overwrite = true;
                }
                else if (!int.TryParse(arg, out value))
                {
                    ctx.Error(n, $"invalid init_file value '{arg}'");
                }
            }
            return c with { InitFile = true, InitValue = value, InitOverwrite = overwrite };
        });

    public static readonly KeywordMap<TrackProcessConfig> ProcessMap = new KeywordMap<TrackProcessConfig>("vrrp_track_process")
        .Add("process", (ctx, n, c) => c with { Process = ctx.Arg(n) ?? c.Process, Parameters = n.Args.Skip(1).ToEquatableArray() })
        .Add("param_match", (ctx, n, c) => ctx.Arg(n) is "initial" or "partial" ? c with { ParamMatch = n.Args[0] } : Bad(ctx, n, c))
        .Add("full_command", (ctx, n, c) => c with { FullCommand = true })
        .Add("weight", (ctx, n, c) => WeightOf(ctx, n, 254) is var (w, r) ? c with { Weight = w ?? c.Weight, WeightReverse = r } : c)
        .Add("quorum", (ctx, n, c) => c with { Quorum = ctx.IntOr(n, 0, 1, 65535, c.Quorum) })
        .Add("quorum_max", (ctx, n, c) => c with { QuorumMax = ctx.IntOr(n, 0, 1, 65535, c.Quorum) })
        .Add("delay", (ctx, n, c) => c with { Delay = ctx.TimerOr(n, 0, 0, 3600, TimeSpan.Zero) })
        .Add("terminate_delay", (ctx, n, c) => c with { TerminateDelay = ctx.TimerOr(n, 0, 0, 3600, TimeSpan.Zero) })
        .Add("fork_delay", (ctx, n, c) => c with { ForkDelay = ctx.TimerOr(n, 0, 0, 3600, TimeSpan.Zero) });

    public static readonly KeywordMap<BfdInstanceConfig> BfdMap = new KeywordMap<BfdInstanceConfig>("bfd_instance")
        .Add("source_ip", (ctx, n, c) => c with { SourceIp = ctx.Ip(n) })
        .Add(["neighbor_ip", "neighbour_ip"], (ctx, n, c) => c with { NeighborIp = ctx.Ip(n) })
        .Add("min_rx", (ctx, n, c) => c with { MinRx = Millis(ctx, n, c.MinRx) })
        .Add("min_tx", (ctx, n, c) => c with { MinTx = Millis(ctx, n, c.MinTx) })
        .Add("idle_tx", (ctx, n, c) => c with { IdleTx = Millis(ctx, n, c.IdleTx) })
        .Add("multiplier", (ctx, n, c) => c with { Multiplier = ctx.IntOr(n, 0, 1, 255, c.Multiplier) })
        .Add("passive", (ctx, n, c) => c with { Passive = true })
        .Add("ttl", (ctx, n, c) => c with { Ttl = ctx.IntOr(n, 0, 1, 255, c.Ttl) })
        .Add("hoplimit", (ctx, n, c) => c with { HopLimit = ctx.IntOr(n, 0, 1, 255, c.HopLimit) })
        .Add("max_hops", (ctx, n, c) => c with { MaxHops = ctx.IntOr(n, 0, 0, 255, c.MaxHops) })
        .Add("multihop", (ctx, n, c) => c with { Multihop = true })
        .Add("weight", (ctx, n, c) => WeightOf(ctx, n, 253) is var (w, r) ? c with { Weight = w ?? c.Weight, WeightReverse = r } : c)
        .Add("vrrp", (ctx, n, c) => c with { Vrrp = true })
        .Add("checker", (ctx, n, c) => c with { Checker = true });

    public static readonly KeywordMap<GarpGroupConfig> GarpMap = new KeywordMap<GarpGroupConfig>("garp_group")
        .Add("garp_interval", (ctx, n, c) => c with { GarpInterval = ctx.TimerOr(n, 0, 0, 4294.967295, c.GarpInterval) })
        .Add("gna_interval", (ctx, n, c) => c with { GnaInterval = ctx.TimerOr(n, 0, 0, 4294.967295, c.GnaInterval) })
        .Add("interface", (ctx, n, c) => ctx.Arg(n) is { } i ? c with { Interfaces = c.Interfaces.Add(i) } : c)
        .Add("interfaces", (ctx, n, c) => c with { Interfaces = c.Interfaces.AsImmutableArray().AddRange((n.Children ?? []).Select(x => x.Keyword)) });

    public static readonly KeywordMap<VrrpSyncGroupConfig> SyncGroupMap = new KeywordMap<VrrpSyncGroupConfig>("vrrp_sync_group")
        .Add("group", (ctx, n, c) => c with { Group = c.Group.AsImmutableArray().AddRange((n.Children ?? []).SelectMany(x => x.Words)) })
        .Add("track_interface", (ctx, n, c) => c with { TrackInterfaces = c.TrackInterfaces.AsImmutableArray().AddRange(VrrpInstanceBinder.TrackList(ctx, n, 254)) })
        .Add("track_script", (ctx, n, c) => c with { TrackScripts = c.TrackScripts.AsImmutableArray().AddRange(VrrpInstanceBinder.TrackList(ctx, n, 253)) })
        .Add("track_file", (ctx, n, c) => c with { TrackFiles = c.TrackFiles.AsImmutableArray().AddRange(VrrpInstanceBinder.TrackList(ctx, n, 254)) })
        .Add("track_process", (ctx, n, c) => c with { TrackProcesses = c.TrackProcesses.AsImmutableArray().AddRange(VrrpInstanceBinder.TrackList(ctx, n, 254)) })
        .Add("track_bfd", (ctx, n, c) => c with { TrackBfds = c.TrackBfds.AsImmutableArray().AddRange(VrrpInstanceBinder.TrackList(ctx, n, 253)) })
        .Add("notify_backup", (ctx, n, c) => c with { NotifyBackup = VrrpInstanceBinder.Script(ctx, n) })
        .Add("notify_master", (ctx, n, c) => c with { NotifyMaster = VrrpInstanceBinder.Script(ctx, n) })
        .Add("notify_fault", (ctx, n, c) => c with { NotifyFault = VrrpInstanceBinder.Script(ctx, n) })
        .Add("notify_stop", (ctx, n, c) => c with { NotifyStop = VrrpInstanceBinder.Script(ctx, n) })
        .Add("notify", (ctx, n, c) => c with { Notify = VrrpInstanceBinder.Script(ctx, n) })
        .Add("smtp_alert", (ctx, n, c) => c with { SmtpAlert = ctx.Bool(n) })
        .Add("global_tracking", (ctx, n, c) => c with { GlobalTracking = true })
        .Add("sync_group_tracking_weight", (ctx, n, c) => c with { SyncGroupTrackingWeight = true })
        .Add("notify_priority_changes", (ctx, n, c) => c with { NotifyPriorityChanges = ctx.Bool(n) });

    private static (int? Weight, bool Reverse) WeightOf(BindContext ctx, ConfigNode n, int limit)
    {
        if (!ctx.Int(n, 0, -limit, limit, out var weight))
        {
            return (null, false);
        }
        var reverse = n.Args.Length > 1 && n.Args[1] == "reverse";
        if (n.Args.Length > 1 && n.Args[1] is not "reverse" and not "noreverse")
        {
            ctx.Error(n, $"unknown weight option '{n.Args[1]}'");
        }
        return (weight, reverse);
    }

    private static TimeSpan Millis(BindContext ctx, ConfigNode n, TimeSpan fallback) =>
        ctx.Int(n, 0, 1, 3_600_000, out var ms) ? TimeSpan.FromMilliseconds(ms) : fallback;

    private static T Bad<T>(BindContext ctx, ConfigNode n, T c)
    {
        ctx.Error(n, $"invalid value for '{n.Keyword}'");
        return c;
    }

    public static VrrpScriptConfig? Script(BindContext ctx, ConfigNode node, string name)
    {
        var script = ScriptMap.Bind(ctx, node.Children, new VrrpScriptConfig { Name = name, Script = "" }, out var seen);
        if (script.Script.Length == 0)
        {
            ctx.Warning(node, $"No script set for vrrp_script {name} - removing");
            return null;
        }
        if (!seen.Contains("timeout"))
        {
            script = script with { Timeout = script.Interval };
        }
        ctx.ScriptsInUse.Add((script.Script, node.At));
        return script;
    }

    public static TrackFileConfig? File(BindContext ctx, ConfigNode node, string name)
    {
        var file = FileMap.Bind(ctx, node.Children, new TrackFileConfig { Name = name, File = "" }, out _);
        if (file.File.Length == 0)
        {
            ctx.Warning(node, $"No file set for track_file {name} - removing");
            return null;
        }
        return file;
    }

    public static TrackProcessConfig? Process(BindContext ctx, ConfigNode node, string name)
    {
        var process = ProcessMap.Bind(ctx, node.Children, new TrackProcessConfig { Name = name, Process = "" }, out _);
        if (process.Process.Length == 0)
        {
            ctx.Warning(node, $"No process set for vrrp_track_process {name} - removing");
            return null;
        }
        return process;
    }

    public static BfdInstanceConfig? Bfd(BindContext ctx, ConfigNode node, string name)
    {
        var bfd = BfdMap.Bind(ctx, node.Children, new BfdInstanceConfig { Name = name }, out _);
        if (bfd.NeighborIp is null)
        {
            ctx.Error(node, $"BFD instance {name} has no neighbor_ip - removing");
            return null;
        }
        return bfd;
    }
}
