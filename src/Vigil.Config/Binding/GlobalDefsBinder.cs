using Vigil.Config.Syntax;

namespace Vigil.Config.Binding;

/// <summary>global_defs: the typed keywords, and the pass-through ones kept as <see cref="ConfigSetting"/>.</summary>
internal static class GlobalDefsBinder
{
    /// <summary>Known keywords that vigil keeps as written (keepalived-keywords.txt, global_parser.c).</summary>
    private static readonly string[] PassThrough =
    [
        "process_names", "process_name", "vrrp_process_name", "checker_process_name", "lvs_process_name",
        "bfd_process_name", "use_symlink_paths", "set_supplementary_groups", "max_auto_priority",
        "min_auto_priority_delay", "disable_local_igmp", "lvs_timeouts", "lvs_flush_on_stop", "lvs_flush_onstop",
        "vrrp_vmac_garp_intvl", "vrrp_iptables", "vrrp_ipsets", "nftables_priority", "nftables_ifindex",
        "vrrp_priority", "vrrp_no_swap", "vrrp_rt_priority", "vrrp_cpu_affinity", "vrrp_rlimit_rttime",
        "vrrp_rlimit_rtime", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark", "nftables_counters",
        "fifo_write_vrrp_states_on_reload", "checker_priority", "checker_no_swap", "checker_rt_priority",
        "checker_cpu_affinity", "checker_rlimit_rttime", "checker_rlimit_rtime", "bfd_priority", "bfd_no_swap",
        "bfd_rt_priority", "bfd_cpu_affinity", "bfd_rlimit_rttime", "bfd_rlimit_rtime", "snmp_socket",
        "enable_traps", "enable_snmp_vrrp", "enable_snmp_keepalived", "enable_snmp_rfc", "enable_snmp_rfcv2",
        "enable_snmp_rfcv3", "enable_snmp_checker", "snmp_vs_stats_update_interval",
        "snmp_rs_stats_update_interval", "enable_dbus", "dbus_service_name", "dbus_no_interface_name",
        "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force", "vrrp_netlink_monitor_rcv_bufs",
        "vrrp_netlink_monitor_rcv_bufs_force", "process_monitor_rcv_bufs", "process_monitor_rcv_bufs_force",
        "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs",
        "lvs_netlink_monitor_rcv_bufs_force", "rs_init_notifies", "no_checker_emails", "vrrp_rx_bufs_policy",
        "vrrp_rx_bufs_multiplier", "vrrp_delay_after_boot", "log_unknown_vrids", "vmac_prefix", "vmac_addr_prefix",
        "umask", "random_seed", "reload_check_config", "reload_time_file", "reload_repeat", "reload_file",
        "include_check", "config_save_dir", "tmp_config_directory", "data_use_instance", "json_version",
        "iproute_usr_dir", "iproute_etc_dir", "state_dump_file", "stats_dump_file", "json_dump_file",
    ];

    public static readonly KeywordMap<GlobalDefsConfig> Map = BuildMap();

    private static KeywordMap<GlobalDefsConfig> BuildMap()
    {
        var map = new KeywordMap<GlobalDefsConfig>("global_defs")
            .Add("router_id", (ctx, n, c) => c with { RouterId = ctx.Arg(n) ?? c.RouterId })
            .Add("notification_email", (ctx, n, c) => c with
            {
                NotificationEmail = c.NotificationEmail.AsImmutableArray()
                    .AddRange(n.Args).AddRange((n.Children ?? []).SelectMany(e => e.Words)),
            })
            .Add("notification_email_from", (ctx, n, c) => c with { NotificationEmailFrom = ctx.Arg(n) ?? c.NotificationEmailFrom })
            .Add("smtp_server", (ctx, n, c) => c with
            {
                SmtpServer = ctx.Arg(n) ?? c.SmtpServer,
                SmtpPort = n.Args.Length > 1 ? ctx.IntOr(n, 1, 1, 65535, 25) : 25,
            })
            .Add("smtp_helo_name", (ctx, n, c) => c with { SmtpHeloName = ctx.Arg(n) })
            .Add("smtp_connect_timeout", (ctx, n, c) => c with { SmtpConnectTimeout = ctx.TimerOr(n, 0, 1, 3600, c.SmtpConnectTimeout) })
            .Add("smtp_alert", (ctx, n, c) => c with { SmtpAlert = ctx.Bool(n) })
            .Add("smtp_alert_vrrp", (ctx, n, c) => c with { SmtpAlertVrrp = ctx.Bool(n) })
            .Add("smtp_alert_checker", (ctx, n, c) => c with { SmtpAlertChecker = ctx.Bool(n) })
            .Add("no_email_faults", (ctx, n, c) => c with { NoEmailFaults = ctx.Bool(n) })
            .Add("checker_log_all_failures", (ctx, n, c) => c with { CheckerLogAllFailures = ctx.Bool(n) })
            .Add("default_interface", (ctx, n, c) => c with { DefaultInterface = ctx.Arg(n) ?? c.DefaultInterface })
            .Add("vrrp_mcast_group4", (ctx, n, c) => ctx.Ip(n) is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetwork } ip ? c with { VrrpMcastGroup4 = ip } : c)
            .Add("vrrp_mcast_group6", (ctx, n, c) => ctx.Ip(n) is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip ? c with { VrrpMcastGroup6 = ip } : c)
            .Add("vrrp_version", (ctx, n, c) => c with { VrrpVersion = ctx.IntOr(n, 0, 2, 3, c.VrrpVersion) })
            .Add("vrrp_garp_master_delay", (ctx, n, c) => c with { VrrpGarpMasterDelay = ctx.TimerOr(n, 0, 0, 255, c.VrrpGarpMasterDelay) })
            .Add("vrrp_garp_master_repeat", (ctx, n, c) => c with { VrrpGarpMasterRepeat = ctx.IntOr(n, 0, 1, 255, c.VrrpGarpMasterRepeat) })
            .Add("vrrp_garp_lower_prio_delay", (ctx, n, c) => c with { VrrpGarpLowerPrioDelay = ctx.TimerOr(n, 0, 0, 255, c.VrrpGarpMasterDelay) })
            .Add("vrrp_garp_lower_prio_repeat", (ctx, n, c) => c with { VrrpGarpLowerPrioRepeat = ctx.IntOr(n, 0, 0, 255, c.VrrpGarpMasterRepeat) })
            .Add("vrrp_garp_master_refresh", (ctx, n, c) => c with { VrrpGarpMasterRefresh = ctx.TimerOr(n, 0, 0, uint.MaxValue, c.VrrpGarpMasterRefresh) })
            .Add("vrrp_garp_master_refresh_repeat", (ctx, n, c) => c with { VrrpGarpMasterRefreshRepeat = ctx.IntOr(n, 0, 1, 255, c.VrrpGarpMasterRefreshRepeat) })
            // keepalived compat: 2.2.7 rejects 0 ("outside range [0.000001, 4294.967295]") although older
            // versions and many blog configs use it; vigil follows 2.2.7 (an error, the default 0 stays).
            .Add("vrrp_garp_interval", (ctx, n, c) => c with { VrrpGarpInterval = PacingInterval(ctx, n, c.VrrpGarpInterval) })
            .Add("vrrp_gna_interval", (ctx, n, c) => c with { VrrpGnaInterval = PacingInterval(ctx, n, c.VrrpGnaInterval) })
            .Add("vrrp_min_garp", (ctx, n, c) => c with { VrrpMinGarp = ctx.Bool(n) })
            .Add("vrrp_garp_extra_if", (ctx, n, c) => c with { VrrpGarpExtraIf = true })
            .Add("vrrp_down_timer_adverts", (ctx, n, c) => c with { VrrpDownTimerAdverts = ctx.IntOr(n, 0, 1, 100, c.VrrpDownTimerAdverts) })
            .Add("vrrp_lower_prio_no_advert", (ctx, n, c) => c with { VrrpLowerPrioNoAdvert = ctx.Bool(n) })
            .Add("vrrp_higher_prio_send_advert", (ctx, n, c) => c with { VrrpHigherPrioSendAdvert = ctx.Bool(n) })
            .Add("vrrp_owner_ignore_adverts", (ctx, n, c) => c with { VrrpOwnerIgnoreAdverts = ctx.Bool(n) })
            .Add("vrrp_check_unicast_src", (ctx, n, c) => c with { VrrpCheckUnicastSrc = true })
            .Add("vrrp_skip_check_adv_addr", (ctx, n, c) => c with { VrrpSkipCheckAdvAddr = true })
            .Add("vrrp_strict", (ctx, n, c) => c with { VrrpStrict = true })
            .Add("v3_checksum_as_v2", (ctx, n, c) => c with { V3ChecksumAsV2 = true })
            .Add("vrrp_notify_priority_changes", (ctx, n, c) => c with { VrrpNotifyPriorityChanges = ctx.Bool(n) })
            .Add("vrrp_startup_delay", (ctx, n, c) => c with { VrrpStartupDelay = ctx.TimerOr(n, 0, 0, 3600, c.VrrpStartupDelay) })
            .Add("dynamic_interfaces", (ctx, n, c) => c with { DynamicInterfaces = true })
            .Add("enable_script_security", (ctx, n, c) => c with { EnableScriptSecurity = true })
            .Add("script_user", (ctx, n, c) => c with { ScriptUser = ctx.Arg(n), ScriptGroup = n.Args.Length > 1 ? n.Args[1] : null })
            .Add("nftables", (ctx, n, c) => c with { Nftables = n.Args.Length > 0 ? n.Args[0] : "keepalived" })
            .Add("nftables_ipvs", (ctx, n, c) => c with { NftablesIpvs = true })
            .Add("lvs_flush", (ctx, n, c) => c with { LvsFlush = true })
            .Add("vigil_dataplane", (ctx, n, c) => c with { VigilDataplane = Dataplane(ctx, n, c.VigilDataplane) })
            .Add("lvs_sync_daemon", BindSyncDaemon)
            .Add("notify_fifo", (ctx, n, c) => c with { NotifyFifo = Fifo(ctx, n, c.NotifyFifo) })
            .Add("notify_fifo_script", (ctx, n, c) => c with { NotifyFifo = FifoScript(ctx, n, c.NotifyFifo) })
            .Add("vrrp_notify_fifo", (ctx, n, c) => c with { VrrpNotifyFifo = Fifo(ctx, n, c.VrrpNotifyFifo) })
            .Add("vrrp_notify_fifo_script", (ctx, n, c) => c with { VrrpNotifyFifo = FifoScript(ctx, n, c.VrrpNotifyFifo) })
            .Add("lvs_notify_fifo", (ctx, n, c) => c with { LvsNotifyFifo = Fifo(ctx, n, c.LvsNotifyFifo) })
            .Add("lvs_notify_fifo_script", (ctx, n, c) => c with { LvsNotifyFifo = FifoScript(ctx, n, c.LvsNotifyFifo) })
            .Add("startup_script", (ctx, n, c) => c with { StartupScript = ctx.Rest(n) })
            .Add("startup_script_timeout", (ctx, n, c) => c with { StartupScriptTimeout = ctx.TimerOr(n, 0, 1, 1000, c.StartupScriptTimeout) })
            .Add("shutdown_script", (ctx, n, c) => c with { ShutdownScript = ctx.Rest(n) })
            .Add("shutdown_script_timeout", (ctx, n, c) => c with { ShutdownScriptTimeout = ctx.TimerOr(n, 0, 1, 1000, c.ShutdownScriptTimeout) });
        map.Add(PassThrough, (ctx, n, c) => c with { Other = c.Other.Add(new ConfigSetting(n.Keyword, n.Args.ToEquatableArray())) });
        return map;
    }

    public static GlobalDefsConfig Bind(BindContext ctx, ConfigNode node, GlobalDefsConfig current) =>
        Map.Bind(ctx, node.Children, current, out _);

    private static TimeSpan PacingInterval(BindContext ctx, ConfigNode n, TimeSpan current)
    {
        if (n.Args.Length > 0 && double.TryParse(n.Args[0], System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds == 0)
        {
            ctx.Error(n, $"number '{n.Args[0]}' outside range [0.000001, 4294.967295] for '{n.Keyword}': keepalived 2.2.7 rejects 0, "
                + "which older versions accepted; 0 (no pacing) is the default, so the line can go");
            return current;
        }
        return ctx.TimerOr(n, 0, 0.000001, 4294.967295, current);
    }

    /// <summary>vigil_dataplane: which data plane programs the virtual servers (vigil's own keyword).</summary>
    private static string? Dataplane(BindContext ctx, ConfigNode n, string? current)
    {
        if (ctx.Arg(n) is not { } value)
        {
            return current;
        }
        var lower = value.ToLowerInvariant();
        if (lower is "auto" or "ipvs" or "nftables")
        {
            return lower;
        }
        ctx.Error(n, $"vigil_dataplane '{value}': expected auto, ipvs or nftables");
        return current;
    }

    private static GlobalDefsConfig BindSyncDaemon(BindContext ctx, ConfigNode n, GlobalDefsConfig c)
    {
        var iface = ctx.Arg(n);
        if (iface is null)
        {
            return c;
        }
        string? instance = null;
        int? id = null, maxLength = null, ttl = null;
        var port = 8848;
        System.Net.IPAddress? group = null;
        for (var i = 1; i < n.Args.Length; i++)
        {
            var option = n.Args[i];
            var hasValue = i + 1 < n.Args.Length;
            switch (option)
            {
                case "inst" when hasValue:
                    instance = n.Args[++i];
                    break;
                case "id" when hasValue:
                    id = ctx.IntOr(n, ++i, 0, 255, 0);
                    break;
                case "maxlen" when hasValue:
                    maxLength = ctx.IntOr(n, ++i, 1, 65535 - 20 - 8, 0);
                    break;
                case "port" when hasValue:
                    port = ctx.IntOr(n, ++i, 1, 65535, 8848);
                    break;
                case "ttl" when hasValue:
                    ttl = ctx.IntOr(n, ++i, 1, 255, 1);
                    break;
                case "group" when hasValue:
                    group = ctx.Ip(n, ++i);
                    break;
                default:
                    if (instance is null && i == 1)
                    {
                        // keepalived compat: the old form names the instance without "inst".
                        instance = option;
                        break;
                    }
                    ctx.Error(n, $"unknown lvs_sync_daemon option '{option}'");
                    break;
            }
        }
        return c with { LvsSyncDaemon = new LvsSyncDaemonConfig(iface, instance, id, maxLength, port, ttl, group) };
    }

    private static NotifyFifoConfig? Fifo(BindContext ctx, ConfigNode n, NotifyFifoConfig? current)
    {
        var path = ctx.Arg(n);
        return path is null
            ? current
            : new NotifyFifoConfig(path, n.Args.Length > 1 ? n.Args[1] : null, n.Args.Length > 2 ? n.Args[2] : null, current?.Script);
    }

    private static NotifyFifoConfig? FifoScript(BindContext ctx, ConfigNode n, NotifyFifoConfig? current)
    {
        var script = ctx.Rest(n);
        if (current is null)
        {
            ctx.Warning(n, $"'{n.Keyword}' without a fifo; ignored");
            return null;
        }
        return current with { Script = script };
    }
}
