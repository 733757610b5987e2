namespace Vigil.Config;

public static partial class ConfigDumper
{
    private static string Method(LvsMethod method, TunnelConfig? tunnel) => Join(
        method.ToString().ToUpperInvariant(),
        tunnel is null ? null : "type " + tunnel.Type,
        tunnel?.Port is { } port ? "port " + N(port) : null,
        tunnel?.Checksum);

    private static void DumpVirtualServer(DumpWriter w, VirtualServerConfig vs)
    {
        var header = vs.Fwmark is { } mark ? $"virtual_server fwmark {N(mark)}"
            : vs.Group is { } group ? $"virtual_server group {Q(group)}"
            : $"virtual_server {vs.Address} {N(vs.Port)}";
        w.Block(header, () =>
        {
            w.Opt("ip_family", vs.IpFamily);
            w.Line("protocol", vs.Protocol.ToString().ToUpperInvariant());
            w.Line("lb_algo", vs.Scheduler);
            foreach (var flag in vs.SchedulerFlags)
            {
                w.Line(flag);
            }
            w.Line("lb_kind", Method(vs.Method, vs.Tunnel));
            if (vs.PersistenceTimeout is { } persistence)
            {
                w.Line("persistence_timeout", T(persistence));
            }
            if (vs.PersistenceGranularity is not null)
            {
                // IPv6 granularity is written as keepalived reads it: a prefix length.
                w.Line("persistence_granularity", vs.PersistenceGranularity.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                    ? vs.PersistenceGranularity.GetAddressBytes().Sum(b => System.Numerics.BitOperations.PopCount(b)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : vs.PersistenceGranularity.ToString());
            }
            w.Opt("persistence_engine", vs.PersistenceEngine);
            w.Flag("ha_suspend", vs.HaSuspend);
            w.Opt("virtualhost", vs.Virtualhost);
            w.Opt("snmp_name", vs.SnmpName);
            w.Bool("smtp_alert", vs.SmtpAlert);
            w.Line("alpha", OnOff(vs.Alpha));
            w.Line("omega", OnOff(vs.Omega));
            w.Opt("quorum_up", vs.QuorumUp);
            w.Opt("quorum_down", vs.QuorumDown);
            w.Line("quorum", N(vs.Quorum));
            w.Line("hysteresis", N(vs.Hysteresis));
            w.Line("weight", N(vs.Weight));
            if (vs.SorryServer is { } sorry)
            {
                w.Line("sorry_server", sorry.Address.ToString(), N(sorry.Port));
            }
            w.Line("sorry_server_inhibit", OnOff(vs.SorryServerInhibit));
            if (vs.SorryServerMethod is { } sorryMethod)
            {
                w.Line("sorry_server_lvs_method", Method(sorryMethod, null));
            }
            w.Line("delay_loop", T(vs.DelayLoop));
            w.Line("connect_timeout", T(vs.ConnectTimeout));
            if (vs.Retry is { } retry)
            {
                w.Line("retry", N(retry));
            }
            if (vs.DelayBeforeRetry is { } delay)
            {
                w.Line("delay_before_retry", T(delay));
            }
            if (vs.Warmup is { } warmup)
            {
                w.Line("warmup", T(warmup));
            }
            w.Line("inhibit_on_failure", OnOff(vs.InhibitOnFailure));
            foreach (var rs in vs.RealServers)
            {
                DumpRealServer(w, rs);
            }
        });
    }

    private static void DumpRealServer(DumpWriter w, RealServerConfig rs) => w.Block($"real_server {rs.Address} {N(rs.Port)}", () =>
    {
        w.Line("weight", N(rs.Weight));
        w.Line("lvs_method", Method(rs.Method, rs.Tunnel));
        w.Opt("notify_up", rs.NotifyUp);
        w.Opt("notify_down", rs.NotifyDown);
        w.Line("uthreshold", N(rs.UpperThreshold));
        w.Line("lthreshold", N(rs.LowerThreshold));
        w.Line("inhibit_on_failure", OnOff(rs.InhibitOnFailure));
        w.Line("alpha", OnOff(rs.Alpha));
        if (rs.Retry is { } retry)
        {
            w.Line("retry", N(retry));
        }
        if (rs.DelayBeforeRetry is { } delay)
        {
            w.Line("delay_before_retry", T(delay));
        }
        if (rs.Warmup is { } warmup)
        {
            w.Line("warmup", T(warmup));
        }
        w.Line("connect_timeout", T(rs.ConnectTimeout));
        w.Line("delay_loop", T(rs.DelayLoop));
        w.Bool("smtp_alert", rs.SmtpAlert);
        w.Opt("virtualhost", rs.Virtualhost);
        w.Opt("snmp_name", rs.SnmpName);
        foreach (var checker in rs.Checkers)
        {
            DumpChecker(w, checker);
        }
    });

    private static void DumpChecker(DumpWriter w, CheckerConfig c) => w.Block(c.Keyword, () =>
    {
        if (c is FileCheckConfig file)
        {
            w.Line("track_file", Q(file.TrackFile));
            w.Flag("dynamic", file.Dynamic);
            w.Line("weight", N(file.Weight), file.WeightReverse ? "reverse" : null);
            return;
        }
        if (c is BfdCheckConfig bfd)
        {
            w.Line("name", Q(bfd.Name));
            w.Line("alpha", OnOff(bfd.Alpha));
            return;
        }
        if (c is not MiscCheckConfig)
        {
            if (c.ConnectIp is not null)
            {
                w.Line("connect_ip", c.ConnectIp.ToString());
            }
            if (c.ConnectPort is { } port)
            {
                w.Line("connect_port", N(port));
            }
            if (c.BindTo is not null)
            {
                w.Line("bindto", c.BindTo.ToString());
            }
            if (c.BindPort is { } bindPort)
            {
                w.Line("bind_port", N(bindPort));
            }
            w.Opt("bind_if", c.BindInterface);
            if (c.Fwmark is { } fwmark)
            {
                w.Line("fwmark", N(fwmark));
            }
        }
        w.Line("connect_timeout", T(c.ConnectTimeout));
        w.Line("retry", N(c.Retry));
        w.Line("delay_before_retry", T(c.DelayBeforeRetry));
        w.Line("warmup", T(c.Warmup));
        w.Line("delay_loop", T(c.DelayLoop));
        w.Line("alpha", OnOff(c.Alpha));
        w.Line("log_all_failures", OnOff(c.LogAllFailures));
        switch (c)
        {
            case HttpCheckConfig http:
                w.Line("http_protocol", http.HttpProtocol);
                w.Opt("virtualhost", http.Virtualhost);
                w.Line("enable_sni", OnOff(http.EnableSni));
                w.Opt("sni_name", http.SniName);
                w.Line("fast_recovery", OnOff(http.FastRecovery));
                w.Line("tls_compliant", OnOff(http.TlsCompliant));
                foreach (var url in http.Urls)
                {
                    w.Block("url", () =>
                    {
                        w.Line("path", Q(url.Path));
                        w.Opt("digest", url.Digest);
                        w.Line(Join(["status_code", .. url.StatusCodes.Select(s => s.ToString())]));
                        w.Opt("virtualhost", url.Virtualhost);
                        w.Opt("regex", url.Regex);
                        w.Flag("regex_no_match", url.RegexNoMatch);
                        if (!url.RegexOptions.IsEmpty)
                        {
                            w.Line(Join(["regex_options", .. url.RegexOptions.Select(Q)]));
                        }
                        if (url.RegexMinOffset is { } min)
                        {
                            w.Line("regex_min_offset", N(min));
                        }
                        if (url.RegexMaxOffset is { } max)
                        {
                            w.Line("regex_max_offset", N(max));
                        }
                        if (url.RegexStack is { } stack)
                        {
                            w.Line("regex_stack", N(stack));
                        }
                    });
                }
                break;
            case SmtpCheckConfig smtp:
                w.Opt("helo_name", smtp.HeloName);
                break;
            case DnsCheckConfig dns:
                w.Line("type", dns.Type);
                w.Line("name", Q(dns.Name));
                break;
            case MiscCheckConfig misc:
                w.Line("misc_path", Q(misc.Path));
                w.Line("misc_timeout", T(misc.Timeout));
                w.Flag("misc_dynamic", misc.Dynamic);
                if (misc.User is not null)
                {
                    w.Line("user", Q(misc.User), misc.Group is null ? null : Q(misc.Group));
                }
                break;
            case UdpCheckConfig udp:
                w.Opt("payload", udp.Payload);
                w.Opt("require_reply", udp.RequireReply);
                w.Line("min_reply_length", N(udp.MinReplyLength));
                w.Line("max_reply_length", N(udp.MaxReplyLength));
                break;
        }
    });
}
