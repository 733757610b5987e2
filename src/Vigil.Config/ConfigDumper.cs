using System.Globalization;
using System.Text;

namespace Vigil.Config;

/// <summary>Prints the effective configuration (after includes, parameters and defaults) in keepalived
/// syntax. Loading the dump gives a model equal to the one dumped (record equality).</summary>
public static partial class ConfigDumper
{
    public static string Dump(KeepalivedConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var w = new DumpWriter();
        DumpRoot(w, config.Root);
        DumpGlobalDefs(w, config.GlobalDefs);
        if (!config.StaticAddresses.IsEmpty)
        {
            w.Block("static_ipaddress", () => config.StaticAddresses.ToList().ForEach(a => w.Line(Address(a))));
        }
        if (!config.StaticRoutes.IsEmpty)
        {
            w.Block("static_routes", () => config.StaticRoutes.ToList().ForEach(r => w.Line(Route(r))));
        }
        if (!config.StaticRules.IsEmpty)
        {
            w.Block("static_rules", () => config.StaticRules.ToList().ForEach(r => w.Line(Rule(r))));
        }
        foreach (var group in config.TrackGroups)
        {
            w.Block($"track_group {Q(group.Name)}", () => w.Block("group", () => group.Instances.ToList().ForEach(i => w.Line(Q(i)))));
        }
        if (!config.LinkbeatInterfaces.IsEmpty)
        {
            w.Block("linkbeat_interfaces", () => config.LinkbeatInterfaces.ToList().ForEach(l => w.Line(Join(Q(l.Interface), l.Method))));
        }
        if (!config.InterfaceUpDownDelays.IsEmpty)
        {
            w.Block("interface_up_down_delays", () => config.InterfaceUpDownDelays.ToList().ForEach(d => w.Line(Join(Q(d.Interface), T(d.Down), T(d.Up)))));
        }
        foreach (var script in config.VrrpScripts)
        {
            DumpScript(w, script);
        }
        foreach (var file in config.TrackFiles)
        {
            DumpTrackFile(w, file);
        }
        foreach (var process in config.TrackProcesses)
        {
            DumpTrackProcess(w, process);
        }
        foreach (var bfd in config.BfdInstances)
        {
            DumpBfd(w, bfd);
        }
        foreach (var garp in config.GarpGroups)
        {
            w.Block("garp_group", () =>
            {
                w.Line("garp_interval", T(garp.GarpInterval));
                w.Line("gna_interval", T(garp.GnaInterval));
                if (!garp.Interfaces.IsEmpty)
                {
                    w.Block("interfaces", () => garp.Interfaces.ToList().ForEach(i => w.Line(Q(i))));
                }
            });
        }
        foreach (var instance in config.VrrpInstances)
        {
            DumpInstance(w, instance);
        }
        foreach (var group in config.SyncGroups)
        {
            DumpSyncGroup(w, group);
        }
        foreach (var ssl in config.Ssl)
        {
            w.Block("SSL", () =>
            {
                w.Opt("password", ssl.Password);
                w.Opt("ca", ssl.Ca);
                w.Opt("certificate", ssl.Certificate);
                w.Opt("key", ssl.Key);
            });
        }
        foreach (var group in config.VirtualServerGroups)
        {
            w.Block($"virtual_server_group {Q(group.Name)}", () =>
            {
                foreach (var entry in group.Entries)
                {
                    if (entry.Fwmark is { } mark)
                    {
                        w.Line(Join("fwmark", N(mark), entry.Family));
                    }
                    else
                    {
                        var address = entry.RangeEnd is { } end ? $"{entry.Address}-{RangeTail(end)}" : $"{entry.Address}";
                        w.Line(Join(address, entry.Port == 0 ? null : N(entry.Port)));
                    }
                }
            });
        }
        foreach (var vs in config.VirtualServers)
        {
            DumpVirtualServer(w, vs);
        }
        return w.ToString();
    }

    private static string RangeTail(System.Net.IPAddress end)
    {
        var bytes = end.GetAddressBytes();
        return bytes.Length == 4 ? N(bytes[3]) : ((bytes[14] << 8) | bytes[15]).ToString("x", CultureInfo.InvariantCulture);
    }

    private static void DumpRoot(DumpWriter w, RootConfig root)
    {
        var defaults = new RootConfig();
        w.Opt("net_namespace", root.NetNamespace);
        w.Flag("net_namespace_ipvs", root.NetNamespaceIpvs);
        w.Flag("namespace_with_ipsets", root.NamespaceWithIpsets);
        w.Opt("instance", root.Instance);
        w.Flag("use_pid_dir", root.UsePidDir);
        w.Flag("linkbeat_use_polling", root.LinkbeatUsePolling);
        if (root.ChildWaitTime != defaults.ChildWaitTime)
        {
            w.Line("child_wait_time", T(root.ChildWaitTime));
        }
    }

    private static void DumpGlobalDefs(DumpWriter w, GlobalDefsConfig g)
    {
        var d = new GlobalDefsConfig();
        w.Block("global_defs", () =>
        {
            w.Opt("router_id", g.RouterId);
            if (!g.NotificationEmail.IsEmpty)
            {
                w.Block("notification_email", () => g.NotificationEmail.ToList().ForEach(e => w.Line(Q(e))));
            }
            w.Opt("notification_email_from", g.NotificationEmailFrom);
            if (g.SmtpServer is not null)
            {
                w.Line("smtp_server", Q(g.SmtpServer), N(g.SmtpPort));
            }
            w.Opt("smtp_helo_name", g.SmtpHeloName);
            w.IfNot("smtp_connect_timeout", g.SmtpConnectTimeout, d.SmtpConnectTimeout);
            w.Bool("smtp_alert", g.SmtpAlert);
            w.Bool("smtp_alert_vrrp", g.SmtpAlertVrrp);
            w.Bool("smtp_alert_checker", g.SmtpAlertChecker);
            w.Flag("no_email_faults", g.NoEmailFaults);
            w.Flag("checker_log_all_failures", g.CheckerLogAllFailures);
            if (g.DefaultInterface != d.DefaultInterface)
            {
                w.Line("default_interface", Q(g.DefaultInterface));
            }
            if (!g.VrrpMcastGroup4.Equals(d.VrrpMcastGroup4))
            {
                w.Line("vrrp_mcast_group4", g.VrrpMcastGroup4.ToString());
            }
            if (!g.VrrpMcastGroup6.Equals(d.VrrpMcastGroup6))
            {
                w.Line("vrrp_mcast_group6", g.VrrpMcastGroup6.ToString());
            }
            w.IfNot("vrrp_version", g.VrrpVersion, d.VrrpVersion);
            w.IfNot("vrrp_garp_master_delay", g.VrrpGarpMasterDelay, d.VrrpGarpMasterDelay);
            w.IfNot("vrrp_garp_master_repeat", g.VrrpGarpMasterRepeat, d.VrrpGarpMasterRepeat);
            if (g.VrrpGarpLowerPrioDelay is { } lowerDelay)
            {
                w.Line("vrrp_garp_lower_prio_delay", T(lowerDelay));
            }
            if (g.VrrpGarpLowerPrioRepeat is { } lowerRepeat)
            {
                w.Line("vrrp_garp_lower_prio_repeat", N(lowerRepeat));
            }
            w.IfNot("vrrp_garp_master_refresh", g.VrrpGarpMasterRefresh, d.VrrpGarpMasterRefresh);
            w.IfNot("vrrp_garp_master_refresh_repeat", g.VrrpGarpMasterRefreshRepeat, d.VrrpGarpMasterRefreshRepeat);
            w.IfNot("vrrp_garp_interval", g.VrrpGarpInterval, d.VrrpGarpInterval);
            w.IfNot("vrrp_gna_interval", g.VrrpGnaInterval, d.VrrpGnaInterval);
            w.Flag("vrrp_min_garp", g.VrrpMinGarp);
            w.Flag("vrrp_garp_extra_if", g.VrrpGarpExtraIf);
            w.IfNot("vrrp_down_timer_adverts", g.VrrpDownTimerAdverts, d.VrrpDownTimerAdverts);
            w.Flag("vrrp_lower_prio_no_advert", g.VrrpLowerPrioNoAdvert);
            w.Flag("vrrp_higher_prio_send_advert", g.VrrpHigherPrioSendAdvert);
            w.Flag("vrrp_owner_ignore_adverts", g.VrrpOwnerIgnoreAdverts);
            w.Flag("vrrp_check_unicast_src", g.VrrpCheckUnicastSrc);
            w.Flag("vrrp_skip_check_adv_addr", g.VrrpSkipCheckAdvAddr);
            w.Flag("vrrp_strict", g.VrrpStrict);
            w.Flag("v3_checksum_as_v2", g.V3ChecksumAsV2);
            w.Flag("vrrp_notify_priority_changes", g.VrrpNotifyPriorityChanges);
            w.IfNot("vrrp_startup_delay", g.VrrpStartupDelay, d.VrrpStartupDelay);
            w.Flag("dynamic_interfaces", g.DynamicInterfaces);
            w.Flag("enable_script_security", g.EnableScriptSecurity);
            if (g.ScriptUser is not null)
            {
                w.Line("script_user", Q(g.ScriptUser), g.ScriptGroup is null ? null : Q(g.ScriptGroup));
            }
            w.Opt("nftables", g.Nftables);
            w.Flag("nftables_ipvs", g.NftablesIpvs);
            w.Flag("lvs_flush", g.LvsFlush);
            w.Opt("vigil_dataplane", g.VigilDataplane);
            if (g.LvsSyncDaemon is { } sync)
            {
                w.Line(Join("lvs_sync_daemon", Q(sync.Interface), sync.Instance is null ? null : "inst " + Q(sync.Instance),
                    sync.SyncId is { } id ? "id " + N(id) : null, sync.MaxLength is { } max ? "maxlen " + N(max) : null,
                    "port " + N(sync.Port), sync.Ttl is { } ttl ? "ttl " + N(ttl) : null, sync.Group is { } grp ? "group " + grp : null));
            }
            Fifo(w, "notify_fifo", g.NotifyFifo);
            Fifo(w, "vrrp_notify_fifo", g.VrrpNotifyFifo);
            Fifo(w, "lvs_notify_fifo", g.LvsNotifyFifo);
            w.Opt("startup_script", g.StartupScript);
            w.IfNot("startup_script_timeout", g.StartupScriptTimeout, d.StartupScriptTimeout);
            w.Opt("shutdown_script", g.ShutdownScript);
            w.IfNot("shutdown_script_timeout", g.ShutdownScriptTimeout, d.ShutdownScriptTimeout);
            foreach (var setting in g.Other)
            {
                w.Line(Join([setting.Keyword, .. setting.Args.Select(Q)]));
            }
        });
    }

    private static void Fifo(DumpWriter w, string keyword, NotifyFifoConfig? fifo)
    {
        if (fifo is null)
        {
            return;
        }
        w.Line(Join(keyword, Q(fifo.Path), fifo.User is null ? null : Q(fifo.User), fifo.Group is null ? null : Q(fifo.Group)));
        w.Opt(keyword + "_script", fifo.Script);
    }

    // ---- formatting helpers ----

    internal static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Seconds with up to microsecond precision, as keepalived's TIMER.</summary>
    internal static string T(TimeSpan value) =>
        (value.Ticks / 10 / 1_000_000.0).ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>Quotes a word when it would not survive tokenizing as it is.</summary>
    internal static string Q(string value)
    {
        // A word that the preprocessor reads at the start of a line (a ~SEQ/~LST loop, an @conditional, a
        // $PARAM definition, an include) would mean something else when dumped on its own line: quote it.
        if (value.Length > 0 && value[0] is not ('~' or '@' or '$') && value != "include" && !value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '#' or '!' or '{' or '}' or '\\'))
        {
            return value;
        }
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }

    internal static string Join(params IEnumerable<string?> parts) => string.Join(' ', parts.Where(p => p is not null));

    internal static string OnOff(bool value) => value ? "on" : "off";
}

/// <summary>Indented keepalived syntax.</summary>
internal sealed class DumpWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public void Line(string text) => _text.Append(' ', _depth * 4).Append(text).Append('\n');

    public void Line(string keyword, params IEnumerable<string?> args) => Line(ConfigDumper.Join([keyword, .. args]));

    public void Block(string header, Action body)
    {
        Line(header + " {");
        _depth++;
        body();
        _depth--;
        Line("}");
    }

    public void Opt(string keyword, string? value)
    {
        if (value is not null)
        {
            Line(keyword, ConfigDumper.Q(value));
        }
    }

    public void Flag(string keyword, bool value)
    {
        if (value)
        {
            Line(keyword);
        }
    }

    public void Bool(string keyword, bool? value)
    {
        if (value is { } v)
        {
            Line(keyword, ConfigDumper.OnOff(v));
        }
    }

    public void IfNot(string keyword, TimeSpan value, TimeSpan fallback)
    {
        if (value != fallback)
        {
            Line(keyword, ConfigDumper.T(value));
        }
    }

    public void IfNot(string keyword, int value, int fallback)
    {
        if (value != fallback)
        {
            Line(keyword, ConfigDumper.N(value));
        }
    }

    public override string ToString() => _text.ToString();
}
