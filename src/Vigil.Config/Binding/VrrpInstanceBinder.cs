using Vigil.Config.Syntax;

namespace Vigil.Config.Binding;

/// <summary>vrrp_instance NAME { ... }: every keyword of vrrp_parser.c's instance table.</summary>
internal static class VrrpInstanceBinder
{
    public static readonly KeywordMap<VrrpInstanceConfig> Map = BuildMap();

    private static KeywordMap<VrrpInstanceConfig> BuildMap() => new KeywordMap<VrrpInstanceConfig>("vrrp_instance")
        .Add("state", (ctx, n, c) => ctx.Arg(n) switch
        {
            "MASTER" => c with { State = VrrpState.Master },
            "BACKUP" => c with { State = VrrpState.Backup },
            null => c,
            var other => Invalid(ctx, n, c, $"({c.Name}) unknown state '{other}', defaulting to BACKUP"),
        })
        .Add("interface", (ctx, n, c) => c with { Interface = ctx.Arg(n) ?? c.Interface })
        .Add("virtual_router_id", (ctx, n, c) => ctx.Int(n, 0, 1, 255, out var vrid) ? c with { VirtualRouterId = vrid }
            : Invalid(ctx, n, c, $"({c.Name}): VRID '{n.Args.FirstOrDefault()}' not valid - must be between 1 & 255"))
        .Add("priority", (ctx, n, c) => ctx.Int(n, 0, 1, 255, out var priority) ? c with { Priority = priority }
            : Invalid(ctx, n, c, $"({c.Name}) Priority not valid! must be between 1 & 255. Using default 100"))
        .Add("advert_int", (ctx, n, c) => ctx.Timer(n, 0, 0.01, 255, out var interval) ? c with { AdvertInterval = interval }
            : Invalid(ctx, n, c, $"({c.Name}) Advert interval ({n.Args.FirstOrDefault()}) not valid! Must be > 0 - ignoring"))
        .Add("version", (ctx, n, c) => c with { Version = ctx.IntOr(n, 0, 2, 3, c.Version) })
        .Add("virtual_ipaddress", (ctx, n, c) => c with { VirtualIpAddresses = IpBinder.Addresses(ctx, n, c.VirtualIpAddresses) })
        .Add("virtual_ipaddress_excluded", (ctx, n, c) => c with { VirtualIpAddressesExcluded = IpBinder.Addresses(ctx, n, c.VirtualIpAddressesExcluded) })
        .Add("no_virtual_ipaddress", (ctx, n, c) => c with { NoVirtualIpAddress = true })
        .Add("promote_secondaries", (ctx, n, c) => c with { PromoteSecondaries = true })
        .Add("virtual_routes", (ctx, n, c) => c with { VirtualRoutes = c.VirtualRoutes.AsImmutableArray().AddRange(IpBinder.Routes(ctx, n, true)) })
        .Add("virtual_rules", (ctx, n, c) => c with { VirtualRules = c.VirtualRules.AsImmutableArray().AddRange(IpBinder.Rules(ctx, n)) })
        .Add("mcast_src_ip", (ctx, n, c) => c with { McastSrcIp = ctx.Ip(n) })
        .Add("unicast_src_ip", (ctx, n, c) => c with { UnicastSrcIp = ctx.Ip(n) })
        .Add("unicast_peer", (ctx, n, c) => c with { UnicastPeers = c.UnicastPeers.AsImmutableArray().AddRange(Peers(ctx, n)) })
        .Add("unicast_ttl", (ctx, n, c) => c with { UnicastTtl = ctx.IntOr(n, 0, 1, 255, 255) })
        .Add("unicast_fault_no_peer", (ctx, n, c) => c with { UnicastFaultNoPeer = true })
        .Add("check_unicast_src", (ctx, n, c) => c with { CheckUnicastSrc = true })
        .Add("mcast_dst_ip", (ctx, n, c) => c with { McastDstIp = ctx.Ip(n) })
        .Add("vrf", (ctx, n, c) => c with { Vrf = ctx.Arg(n) })
        .Add("track_src_ip", (ctx, n, c) => c with { TrackSrcIp = true })
        .Add("native_ipv6", (ctx, n, c) => c with { NativeIpv6 = true })
        .Add("old_unicast_checksum", (ctx, n, c) => c with { OldUnicastChecksum = n.Args.FirstOrDefault() != "never" })
        .Add("v3_checksum_as_v2", (ctx, n, c) => c with { V3ChecksumAsV2 = true })
        .Add("kernel_rx_buf_size", (ctx, n, c) => c with { KernelRxBufSize = ctx.IntOr(n, 0, 0, int.MaxValue, 0) })
        .Add("use_vmac", (ctx, n, c) => c with
        {
            UseVmac = new VmacConfig(
                n.Args.FirstOrDefault(a => !a.Contains(':', StringComparison.Ordinal)),
                n.Args.FirstOrDefault(a => a.Contains(':', StringComparison.Ordinal))),
        })
        .Add("use_vmac_addr", (ctx, n, c) => c with { UseVmacAddr = true })
        .Add("vmac_xmit_base", (ctx, n, c) => c with { VmacXmitBase = true })
        .Add("vmac_garp_intvl", (ctx, n, c) => ctx.Timer(n, 0, 0, 86400, out var interval)
            ? c with { VmacGarpInterval = interval, VmacGarpAll = n.Args.Length > 1 && n.Args[1] == "all" } : c)
        .Add("use_ipvlan", (ctx, n, c) => c with { UseIpvlan = n.Args.Length == 0 ? EquatableArray.Create("") : n.Args.ToEquatableArray() })
        .Add("dont_track_primary", (ctx, n, c) => c with { DontTrackPrimary = true })
        .Add("linkbeat_use_polling", (ctx, n, c) => c with { LinkbeatUsePolling = true })
        .Add("track_interface", (ctx, n, c) => c with { TrackInterfaces = c.TrackInterfaces.AsImmutableArray().AddRange(TrackList(ctx, n, 254)) })
        .Add("track_script", (ctx, n, c) => c with { TrackScripts = c.TrackScripts.AsImmutableArray().AddRange(TrackList(ctx, n, 253)) })
        .Add("track_file", (ctx, n, c) => c with { TrackFiles = c.TrackFiles.AsImmutableArray().AddRange(TrackList(ctx, n, 254)) })
        .Add("track_process", (ctx, n, c) => c with { TrackProcesses = c.TrackProcesses.AsImmutableArray().AddRange(TrackList(ctx, n, 254)) })
        .Add("track_bfd", (ctx, n, c) => c with { TrackBfds = c.TrackBfds.AsImmutableArray().AddRange(TrackList(ctx, n, 253)) })
        .Add("accept", (ctx, n, c) => c with { Accept = true })
        .Add("no_accept", (ctx, n, c) => c with { Accept = false })
        .Add("skip_check_adv_addr", (ctx, n, c) => c with { SkipCheckAdvAddr = ctx.Bool(n) })
        .Add("strict_mode", (ctx, n, c) => c with { StrictMode = ctx.Bool(n) })
        .Add("preempt", (ctx, n, c) => c with { Nopreempt = false })
        .Add("nopreempt", (ctx, n, c) => c with { Nopreempt = true })
        .Add("preempt_delay", (ctx, n, c) => c with { PreemptDelay = ctx.TimerOr(n, 0, 0, 1000, c.PreemptDelay) })
        .Add("debug", (ctx, n, c) => c with { Debug = n.Args.Length == 0 ? 1 : ctx.IntOr(n, 0, 0, 4, 0) })
        .Add("notify_backup", (ctx, n, c) => c with { NotifyBackup = Script(ctx, n) })
        .Add("notify_master", (ctx, n, c) => c with { NotifyMaster = Script(ctx, n) })
        .Add("notify_fault", (ctx, n, c) => c with { NotifyFault = Script(ctx, n) })
        .Add("notify_stop", (ctx, n, c) => c with { NotifyStop = Script(ctx, n) })
        .Add("notify_deleted", (ctx, n, c) => c with { NotifyDeleted = n.Args.Length == 0 ? "" : Script(ctx, n) })
        .Add("notify", (ctx, n, c) => c with { Notify = Script(ctx, n) })
        .Add("notify_master_rx_lower_pri", (ctx, n, c) => c with { NotifyMasterRxLowerPri = Script(ctx, n) })
        .Add("smtp_alert", (ctx, n, c) => c with { SmtpAlert = ctx.Bool(n) })
        .Add("notify_priority_changes", (ctx, n, c) => c with { NotifyPriorityChanges = ctx.Bool(n) })
        .Add("lvs_sync_daemon_interface", (ctx, n, c) =>
        {
            ctx.Warning(n, $"({c.Name}) Specifying lvs_sync_daemon_interface against a vrrp is deprecated. Please use global lvs_sync_daemon");
            return c with { LvsSyncDaemonInterface = ctx.Arg(n) };
        })
        .Add("garp_master_delay", (ctx, n, c) => c with { GarpMasterDelay = ctx.TimerOr(n, 0, 0, 255, c.GarpMasterDelay) })
        .Add("garp_master_refresh", (ctx, n, c) => c with { GarpMasterRefresh = ctx.TimerOr(n, 0, 0, uint.MaxValue, c.GarpMasterRefresh) })
        .Add("garp_master_repeat", (ctx, n, c) => c with { GarpMasterRepeat = ctx.IntOr(n, 0, 1, 255, c.GarpMasterRepeat) })
        .Add("garp_master_refresh_repeat", (ctx, n, c) => c with { GarpMasterRefreshRepeat = ctx.IntOr(n, 0, 1, 255, c.GarpMasterRefreshRepeat) })
        .Add("garp_lower_prio_delay", (ctx, n, c) => c with { GarpLowerPrioDelay = ctx.TimerOr(n, 0, 0, 255, c.GarpLowerPrioDelay) })
        .Add("garp_lower_prio_repeat", (ctx, n, c) => c with { GarpLowerPrioRepeat = ctx.IntOr(n, 0, 0, 255, c.GarpLowerPrioRepeat) })
        .Add("down_timer_adverts", (ctx, n, c) => c with { DownTimerAdverts = ctx.IntOr(n, 0, 1, 100, c.DownTimerAdverts) })
        .Add("garp_extra_if", (ctx, n, c) => c with { GarpExtraIf = true })
        .Add("lower_prio_no_advert", (ctx, n, c) => c with { LowerPrioNoAdvert = ctx.Bool(n) })
        .Add("higher_prio_send_advert", (ctx, n, c) => c with { HigherPrioSendAdvert = ctx.Bool(n) })
        .Add("owner_ignore_adverts", (ctx, n, c) => c with { OwnerIgnoreAdverts = ctx.Bool(n) })
        .Add("authentication", Authentication);

    private static VrrpInstanceConfig Invalid(BindContext ctx, ConfigNode n, VrrpInstanceConfig c, string message)
    {
        ctx.Error(n, message);
        return c;
    }

    public static string? Script(BindContext ctx, ConfigNode n)
    {
        var script = ctx.Rest(n);
        if (script is not null)
        {
            ctx.ScriptsInUse.Add((script, n.At));
        }
        return script;
    }

    public static IEnumerable<TrackReferenceConfig> TrackList(BindContext ctx, ConfigNode block, int weightLimit)
    {
        var list = new List<TrackReferenceConfig>();
        foreach (var line in block.Children ?? [])
        {
            var (weight, reverse) = ctx.Weight(line, 0, weightLimit);
            list.Add(ctx.Locate(new TrackReferenceConfig(line.Keyword, weight, reverse), line.At));
        }
        return list;
    }

    private static List<UnicastPeerConfig> Peers(BindContext ctx, ConfigNode block)
    {
        var list = new List<UnicastPeerConfig>();
        foreach (var line in block.Children ?? [])
        {
            var ip = BindContext.ParseIp(line.Keyword);
            if (ip is null)
            {
                ctx.Error(line, $"invalid unicast_peer address '{line.Keyword}'");
                continue;
            }
            int? min = null, max = null;
            for (var i = 0; i + 1 < line.Args.Length; i += 2)
            {
                switch (line.Args[i])
                {
                    case "min_ttl":
                        min = ctx.IntOr(line, i + 1, 0, 255, 0);
                        break;
                    case "max_ttl":
                        max = ctx.IntOr(line, i + 1, 0, 255, 255);
                        break;
                    default:
                        ctx.Error(line, $"unknown unicast_peer option '{line.Args[i]}'");
                        break;
                }
            }
            list.Add(ctx.Locate(new UnicastPeerConfig(ip, min, max), line.At));
        }
        return list;
    }

    private static VrrpInstanceConfig Authentication(BindContext ctx, ConfigNode n, VrrpInstanceConfig c)
    {
        VrrpAuthType? type = null;
        string? password = null;
        foreach (var line in n.Children ?? [])
        {
            switch (line.Keyword)
            {
                case "auth_type":
                    type = ctx.Arg(line) switch
                    {
                        "PASS" => VrrpAuthType.Pass,
                        "AH" => VrrpAuthType.Ah,
                        var other => Unknown(ctx, line, other),
                    };
                    break;
                case "auth_pass":
                    password = ctx.Arg(line);
                    if (password is { Length: > 8 })
                    {
                        // keepalived compat: only the first 8 characters are sent and compared.
                        password = password[..8];
                    }
                    break;
                default:
                    ctx.Warning(line, $"Unknown keyword '{line.Keyword}' in authentication");
                    break;
            }
        }
        if (type is null)
        {
            ctx.Error(n, $"({c.Name}) authentication without a valid auth_type; ignored");
            return c;
        }
        return c with { Authentication = new AuthenticationConfig(type.Value, password ?? string.Empty) };
    }

    private static VrrpAuthType? Unknown(BindContext ctx, ConfigNode line, string? value)
    {
        ctx.Error(line, $"unknown auth_type '{value}' (PASS or AH)");
        return null;
    }

    /// <summary>Applies defaults that depend on other keywords or on global_defs, once the block is read.</summary>
    public static VrrpInstanceConfig Finish(BindContext ctx, VrrpInstanceConfig c, HashSet<string> seen, SourceLocation at)
    {
        var g = ctx.GlobalDefs;
        if (!seen.Contains("version"))
        {
            c = c with { Version = g.VrrpVersion };
        }
        if (!seen.Contains("priority") && c.State == VrrpState.Master)
        {
            c = c with { Priority = 255 };
        }
        if (!seen.Contains("state") && c.Priority == 255)
        {
            c = c with { State = VrrpState.Master };
        }
        if (!seen.Contains("interface"))
        {
            c = c with { Interface = g.DefaultInterface };
        }
        if (!seen.Contains("garp_master_delay"))
        {
            c = c with { GarpMasterDelay = g.VrrpGarpMasterDelay };
        }
        if (!seen.Contains("garp_master_repeat"))
        {
            c = c with { GarpMasterRepeat = g.VrrpGarpMasterRepeat };
        }
        if (!seen.Contains("garp_master_refresh"))
        {
            c = c with { GarpMasterRefresh = g.VrrpGarpMasterRefresh };
        }
        if (!seen.Contains("garp_master_refresh_repeat"))
        {
            c = c with { GarpMasterRefreshRepeat = g.VrrpGarpMasterRefreshRepeat };
        }
        if (!seen.Contains("garp_lower_prio_delay"))
        {
            c = c with { GarpLowerPrioDelay = g.VrrpGarpLowerPrioDelay ?? c.GarpMasterDelay };
        }
        if (!seen.Contains("garp_lower_prio_repeat"))
        {
            c = c with { GarpLowerPrioRepeat = g.VrrpGarpLowerPrioRepeat ?? c.GarpMasterRepeat };
        }
        if (!seen.Contains("down_timer_adverts"))
        {
            c = c with { DownTimerAdverts = g.VrrpDownTimerAdverts };
        }
        if (!seen.Contains("lower_prio_no_advert"))
        {
            c = c with { LowerPrioNoAdvert = g.VrrpLowerPrioNoAdvert };
        }
        if (!seen.Contains("higher_prio_send_advert"))
        {
            c = c with { HigherPrioSendAdvert = g.VrrpHigherPrioSendAdvert };
        }
        if (!seen.Contains("owner_ignore_adverts"))
        {
            c = c with { OwnerIgnoreAdverts = g.VrrpOwnerIgnoreAdverts };
        }
        if (!seen.Contains("skip_check_adv_addr"))
        {
            c = c with { SkipCheckAdvAddr = g.VrrpSkipCheckAdvAddr };
        }
        if (!seen.Contains("check_unicast_src"))
        {
            c = c with { CheckUnicastSrc = g.VrrpCheckUnicastSrc };
        }
        if (!seen.Contains("garp_extra_if"))
        {
            c = c with { GarpExtraIf = g.VrrpGarpExtraIf };
        }
        if (!seen.Contains("v3_checksum_as_v2"))
        {
            c = c with { V3ChecksumAsV2 = g.V3ChecksumAsV2 };
        }
        if (!seen.Contains("notify_priority_changes"))
        {
            c = c with { NotifyPriorityChanges = g.VrrpNotifyPriorityChanges };
        }
        if (!seen.Contains("strict_mode"))
        {
            c = c with { StrictMode = g.VrrpStrict };
        }
        return VrrpInstanceRules.Apply(ctx, c, at);
    }
}
