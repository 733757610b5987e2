namespace Vigil.Config;

public static partial class ConfigDumper
{
    private static string Address(VirtualAddressConfig a) => Join(
        $"{a.Address}/{N(a.PrefixLength)}",
        a.Broadcast is null ? null : "brd " + a.Broadcast,
        a.Device is null ? null : "dev " + Q(a.Device),
        a.Scope is null ? null : "scope " + Q(a.Scope),
        a.Label is null ? null : "label " + Q(a.Label),
        a.Peer is { } peer ? "peer " + peer : null,
        a.Home ? "home" : null,
        a.NoDad ? "-nodad" : null,
        a.ManageTempAddress ? "mngtmpaddr" : null,
        a.NoPrefixRoute ? "noprefixroute" : null,
        a.AutoJoin ? "autojoin" : null,
        a.UseVmac ? "use_vmac" : null,
        a.NoTrack ? "no_track" : null,
        a.PreferredLifetime is { } lft ? "preferred_lft " + N(lft) : null,
        a.TrackGroup is null ? null : "track_group " + Q(a.TrackGroup));

    private static string Route(RouteConfig r) => Join(
        [
            r.Type == "unicast" ? null : r.Type,
            r.Destination.ToString(),
            r.Source is null ? null : "src " + r.Source,
            r.Via is null ? null : "via " + r.Via,
            r.Device is null ? null : "dev " + Q(r.Device),
            r.Table is null ? null : "table " + Q(r.Table),
            r.Scope is null ? null : "scope " + Q(r.Scope),
            r.Metric is { } metric ? "metric " + N(metric) : null,
            r.Protocol is null ? null : "protocol " + Q(r.Protocol),
            r.OnLink ? "onlink" : null,
            .. r.NextHops.Select(h => Join("nexthop", h.Via is null ? null : "via " + h.Via, h.Device is null ? null : "dev " + Q(h.Device),
                h.Weight is { } weight ? "weight " + N(weight) : null, h.OnLink ? "onlink" : null)),
            .. r.Options.Select(Q),
            r.NoTrack ? "no_track" : null,
            r.TrackGroup is null ? null : "track_group " + Q(r.TrackGroup),
        ]);

    private static string Rule(RuleConfig r) => Join(
        [
            r.IsIPv6 && r.From is null && r.To is null ? "inet6" : null,
            r.Invert ? "not" : null,
            r.From is { } from ? "from " + from : null,
            r.To is { } to ? "to " + to : null,
            "preference " + N(r.Preference),
            r.Table is null ? null : "table " + Q(r.Table),
            r.InterfaceIn is null ? null : "iif " + Q(r.InterfaceIn),
            r.InterfaceOut is null ? null : "oif " + Q(r.InterfaceOut),
            r.Action,
            .. r.Options.Select(Q),
            r.NoTrack ? "no_track" : null,
            r.TrackGroup is null ? null : "track_group " + Q(r.TrackGroup),
        ]);

    private static void Track(DumpWriter w, string keyword, EquatableArray<TrackReferenceConfig> refs)
    {
        if (refs.IsEmpty)
        {
            return;
        }
        w.Block(keyword, () =>
        {
            foreach (var r in refs)
            {
                w.Line(Join(Q(r.Name), r.Weight is { } weight ? "weight " + N(weight) : null, r.Reverse ? "reverse" : null));
            }
        });
    }

    private static void DumpScript(DumpWriter w, VrrpScriptConfig s) => w.Block($"vrrp_script {Q(s.Name)}", () =>
    {
        w.Line("script", Q(s.Script));
        w.Line("interval", T(s.Interval));
        w.Line("timeout", T(s.Timeout));
        w.Line("weight", N(s.Weight), s.WeightReverse ? "reverse" : null);
        w.Line("rise", N(s.Rise));
        w.Line("fall", N(s.Fall));
        if (s.User is not null)
        {
            w.Line("user", Q(s.User), s.Group is null ? null : Q(s.Group));
        }
        w.Flag("init_fail", s.InitFail);
    });

    private static void DumpTrackFile(DumpWriter w, TrackFileConfig f) => w.Block($"track_file {Q(f.Name)}", () =>
    {
        w.Line("file", Q(f.File));
        w.Line("weight", N(f.Weight), f.WeightReverse ? "reverse" : null);
        if (f.InitFile)
        {
            w.Line("init_file", N(f.InitValue), f.InitOverwrite ? "overwrite" : null);
        }
    });

    private static void DumpTrackProcess(DumpWriter w, TrackProcessConfig p) => w.Block($"vrrp_track_process {Q(p.Name)}", () =>
    {
        w.Line(Join(["process", Q(p.Process), .. p.Parameters.Select(Q)]));
        w.Opt("param_match", p.ParamMatch);
        w.Flag("full_command", p.FullCommand);
        w.Line("weight", N(p.Weight), p.WeightReverse ? "reverse" : null);
        w.Line("quorum", N(p.Quorum));
        if (p.QuorumMax is { } max)
        {
            w.Line("quorum_max", N(max));
        }
        if (p.Delay is { } delay)
        {
            w.Line("delay", T(delay));
        }
        if (p.TerminateDelay is { } terminate)
        {
            w.Line("terminate_delay", T(terminate));
        }
        if (p.ForkDelay is { } fork)
        {
            w.Line("fork_delay", T(fork));
        }
    });

    private static void DumpBfd(DumpWriter w, BfdInstanceConfig b) => w.Block($"bfd_instance {Q(b.Name)}", () =>
    {
        w.Line("neighbor_ip", b.NeighborIp?.ToString());
        if (b.SourceIp is not null)
        {
            w.Line("source_ip", b.SourceIp.ToString());
        }
        w.Line("min_rx", N((long)b.MinRx.TotalMilliseconds));
        w.Line("min_tx", N((long)b.MinTx.TotalMilliseconds));
        w.Line("idle_tx", N((long)b.IdleTx.TotalMilliseconds));
        w.Line("multiplier", N(b.Multiplier));
        w.Flag("passive", b.Passive);
        w.Line("ttl", N(b.Ttl));
        w.Line("hoplimit", N(b.HopLimit));
        w.Line("max_hops", N(b.MaxHops));
        w.Flag("multihop", b.Multihop);
        w.Line("weight", N(b.Weight), b.WeightReverse ? "reverse" : null);
        w.Flag("vrrp", b.Vrrp);
        w.Flag("checker", b.Checker);
    });

    private static void DumpSyncGroup(DumpWriter w, VrrpSyncGroupConfig g) => w.Block($"vrrp_sync_group {Q(g.Name)}", () =>
    {
        w.Block("group", () => g.Group.ToList().ForEach(i => w.Line(Q(i))));
        Track(w, "track_interface", g.TrackInterfaces);
        Track(w, "track_script", g.TrackScripts);
        Track(w, "track_file", g.TrackFiles);
        Track(w, "track_process", g.TrackProcesses);
        Track(w, "track_bfd", g.TrackBfds);
        w.Opt("notify_master", g.NotifyMaster);
        w.Opt("notify_backup", g.NotifyBackup);
        w.Opt("notify_fault", g.NotifyFault);
        w.Opt("notify_stop", g.NotifyStop);
        w.Opt("notify", g.Notify);
        w.Bool("smtp_alert", g.SmtpAlert);
        w.Flag("global_tracking", g.GlobalTracking);
        w.Flag("sync_group_tracking_weight", g.SyncGroupTrackingWeight);
        w.Line("notify_priority_changes", OnOff(g.NotifyPriorityChanges));
    });

    private static void DumpInstance(DumpWriter w, VrrpInstanceConfig v) => w.Block($"vrrp_instance {Q(v.Name)}", () =>
    {
        w.Line("state", v.State == VrrpState.Master ? "MASTER" : "BACKUP");
        w.Opt("interface", v.Interface);
        w.Line("virtual_router_id", N(v.VirtualRouterId));
        w.Line("priority", N(v.Priority));
        w.Line("advert_int", T(v.AdvertInterval));
        w.Line("version", N(v.Version));
        if (!v.VirtualIpAddresses.IsEmpty)
        {
            w.Block("virtual_ipaddress", () => v.VirtualIpAddresses.ToList().ForEach(a => w.Line(Address(a))));
        }
        if (!v.VirtualIpAddressesExcluded.IsEmpty)
        {
            w.Block("virtual_ipaddress_excluded", () => v.VirtualIpAddressesExcluded.ToList().ForEach(a => w.Line(Address(a))));
        }
        w.Flag("no_virtual_ipaddress", v.NoVirtualIpAddress);
        w.Flag("promote_secondaries", v.PromoteSecondaries);
        if (!v.VirtualRoutes.IsEmpty)
        {
            w.Block("virtual_routes", () => v.VirtualRoutes.ToList().ForEach(r => w.Line(Route(r))));
        }
        if (!v.VirtualRules.IsEmpty)
        {
            w.Block("virtual_rules", () => v.VirtualRules.ToList().ForEach(r => w.Line(Rule(r))));
        }
        if (v.McastSrcIp is not null)
        {
            w.Line("mcast_src_ip", v.McastSrcIp.ToString());
        }
        if (v.UnicastSrcIp is not null)
        {
            w.Line("unicast_src_ip", v.UnicastSrcIp.ToString());
        }
        if (!v.UnicastPeers.IsEmpty)
        {
            w.Block("unicast_peer", () => v.UnicastPeers.ToList().ForEach(p => w.Line(Join(p.Address.ToString(),
                p.MinTtl is { } min ? "min_ttl " + N(min) : null, p.MaxTtl is { } max ? "max_ttl " + N(max) : null))));
        }
        if (v.UnicastTtl is { } ttl)
        {
            w.Line("unicast_ttl", N(ttl));
        }
        w.Flag("unicast_fault_no_peer", v.UnicastFaultNoPeer);
        w.Flag("check_unicast_src", v.CheckUnicastSrc);
        if (v.McastDstIp is not null)
        {
            w.Line("mcast_dst_ip", v.McastDstIp.ToString());
        }
        w.Opt("vrf", v.Vrf);
        w.Flag("track_src_ip", v.TrackSrcIp);
        w.Flag("native_ipv6", v.NativeIpv6);
        w.Flag("old_unicast_checksum", v.OldUnicastChecksum);
        w.Flag("v3_checksum_as_v2", v.V3ChecksumAsV2);
        if (v.KernelRxBufSize is { } rx)
        {
            w.Line("kernel_rx_buf_size", N(rx));
        }
        if (v.UseVmac is { } vmac)
        {
            w.Line("use_vmac", vmac.Name is null ? null : Q(vmac.Name), vmac.MacAddress);
        }
        w.Flag("use_vmac_addr", v.UseVmacAddr);
        w.Flag("vmac_xmit_base", v.VmacXmitBase);
        if (v.VmacGarpInterval is { } vmacGarp)
        {
            w.Line("vmac_garp_intvl", T(vmacGarp), v.VmacGarpAll ? "all" : null);
        }
        if (!v.UseIpvlan.IsEmpty)
        {
            w.Line(Join(["use_ipvlan", .. v.UseIpvlan.Where(a => a.Length > 0).Select(Q)]));
        }
        w.Flag("dont_track_primary", v.DontTrackPrimary);
        w.Flag("linkbeat_use_polling", v.LinkbeatUsePolling);
        Track(w, "track_interface", v.TrackInterfaces);
        Track(w, "track_script", v.TrackScripts);
        Track(w, "track_file", v.TrackFiles);
        Track(w, "track_process", v.TrackProcesses);
        Track(w, "track_bfd", v.TrackBfds);
        w.Flag("nopreempt", v.Nopreempt);
        if (v.PreemptDelay > TimeSpan.Zero)
        {
            w.Line("preempt_delay", T(v.PreemptDelay));
        }
        w.Line(v.Accept ? "accept" : "no_accept");
        w.Line("strict_mode", OnOff(v.StrictMode));
        w.Line("skip_check_adv_addr", OnOff(v.SkipCheckAdvAddr));
        w.Line("down_timer_adverts", N(v.DownTimerAdverts));
        w.Line("lower_prio_no_advert", OnOff(v.LowerPrioNoAdvert));
        w.Line("higher_prio_send_advert", OnOff(v.HigherPrioSendAdvert));
        w.Line("owner_ignore_adverts", OnOff(v.OwnerIgnoreAdverts));
        w.Line("garp_master_delay", T(v.GarpMasterDelay));
        w.Line("garp_master_repeat", N(v.GarpMasterRepeat));
        w.Line("garp_master_refresh", T(v.GarpMasterRefresh));
        w.Line("garp_master_refresh_repeat", N(v.GarpMasterRefreshRepeat));
        w.Line("garp_lower_prio_delay", T(v.GarpLowerPrioDelay));
        w.Line("garp_lower_prio_repeat", N(v.GarpLowerPrioRepeat));
        w.Flag("garp_extra_if", v.GarpExtraIf);
        if (v.Authentication is { } auth)
        {
            w.Block("authentication", () =>
            {
                w.Line("auth_type", auth.Type == VrrpAuthType.Ah ? "AH" : "PASS");
                w.Line("auth_pass", Q(auth.Password));
            });
        }
        w.Opt("notify_master", v.NotifyMaster);
        w.Opt("notify_backup", v.NotifyBackup);
        w.Opt("notify_fault", v.NotifyFault);
        w.Opt("notify_stop", v.NotifyStop);
        if (v.NotifyDeleted is { } deleted)
        {
            w.Line("notify_deleted", deleted.Length == 0 ? null : Q(deleted));
        }
        w.Opt("notify", v.Notify);
        w.Opt("notify_master_rx_lower_pri", v.NotifyMasterRxLowerPri);
        w.Bool("smtp_alert", v.SmtpAlert);
        w.Line("notify_priority_changes", OnOff(v.NotifyPriorityChanges));
        if (v.Debug is { } debug)
        {
            w.Line("debug", N(debug));
        }
        w.Opt("lvs_sync_daemon_interface", v.LvsSyncDaemonInterface);
    });
}
