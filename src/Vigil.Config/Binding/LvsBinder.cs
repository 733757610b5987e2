using System.Net;
using Vigil.Config.Syntax;

namespace Vigil.Config.Binding;

/// <summary>virtual_server_group, virtual_server and real_server (check_parser.c), with inheritance
/// virtual server -> real server -> checker as check_data.c applies it.</summary>
internal static class LvsBinder
{
    /// <summary>
    /// persistence_granularity: a netmask (IPv4 services) or, as keepalived takes it for IPv6 services, a prefix
    /// length 1..128, kept as the equivalent IPv6 mask.
    /// </summary>
    private static System.Net.IPAddress? Granularity(BindContext ctx, ConfigNode n)
    {
        if (n.Args.Length > 0 && int.TryParse(n.Args[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix))
        {
            if (prefix is < 1 or > 128)
            {
                ctx.Error(n, $"persistence_granularity prefix length {prefix} is outside [1, 128]");
                return null;
            }
            var bytes = new byte[16];
            for (var bit = 0; bit < prefix; bit++)
            {
                bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }
            return new System.Net.IPAddress(bytes);
        }
        return ctx.Ip(n);
    }

    private static readonly HashSet<string> Schedulers = new(StringComparer.Ordinal)
    {
        "rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos",
    };

    public static readonly KeywordMap<VirtualServerConfig> VirtualServerMap = new KeywordMap<VirtualServerConfig>("virtual_server")
        .Add("ip_family", (ctx, n, c) => ctx.Arg(n) is "inet" or "inet6" ? c with { IpFamily = n.Args[0] } : Bad(ctx, n, c))
        .Add("retry", (ctx, n, c) => c with { Retry = ctx.IntOr(n, 0, 0, uint.MaxValue, 1) })
        .Add("delay_before_retry", (ctx, n, c) => c with { DelayBeforeRetry = ctx.TimerOr(n, 0, 0, uint.MaxValue, TimeSpan.FromSeconds(1)) })
        .Add("warmup", (ctx, n, c) => c with { Warmup = ctx.TimerOr(n, 0, 0, uint.MaxValue, TimeSpan.Zero) })
        .Add("connect_timeout", (ctx, n, c) => c with { ConnectTimeout = ctx.TimerOr(n, 0, 0.000001, uint.MaxValue, c.ConnectTimeout) })
        .Add("delay_loop", (ctx, n, c) => c with { DelayLoop = ctx.TimerOr(n, 0, 0.000001, uint.MaxValue, c.DelayLoop) })
        .Add("inhibit_on_failure", (ctx, n, c) => c with { InhibitOnFailure = ctx.Bool(n) })
        .Add(["lb_algo", "lvs_sched"], (ctx, n, c) => ctx.Arg(n) is { } s && Schedulers.Contains(s) ? c with { Scheduler = s }
            : Bad(ctx, n, c, $"invalid scheduler '{n.Args.FirstOrDefault()}'"))
        .Add(["hashed", "ops", "flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback", "mh-port", "mh-fallback"],
            (ctx, n, c) => c.SchedulerFlags.Contains(n.Keyword) ? c : c with { SchedulerFlags = c.SchedulerFlags.Add(n.Keyword) })
        .Add(["lb_kind", "lvs_method"], (ctx, n, c) => Method(ctx, n, 0) is var (m, t) && m is not null ? c with { Method = m.Value, Tunnel = t } : c)
        .Add("persistence_engine", (ctx, n, c) => c with { PersistenceEngine = ctx.Arg(n) })
        .Add("persistence_timeout", (ctx, n, c) => c with
        {
            PersistenceTimeout = n.Args.Length == 0 ? TimeSpan.FromSeconds(360) : ctx.TimerOr(n, 0, 1, uint.MaxValue, TimeSpan.FromSeconds(360)),
        })
        .Add("persistence_granularity", (ctx, n, c) => c with { PersistenceGranularity = Granularity(ctx, n) })
        .Add("protocol", (ctx, n, c) => ctx.Arg(n)?.ToUpperInvariant() switch
        {
            "TCP" => c with { Protocol = LvsProtocol.Tcp },
            "UDP" => c with { Protocol = LvsProtocol.Udp },
            "SCTP" => c with { Protocol = LvsProtocol.Sctp },
            _ => Bad(ctx, n, c, $"invalid protocol '{n.Args.FirstOrDefault()}'"),
        })
        .Add("ha_suspend", (ctx, n, c) => c with { HaSuspend = true })
        .Add("smtp_alert", (ctx, n, c) => c with { SmtpAlert = ctx.Bool(n) })
        .Add("virtualhost", (ctx, n, c) => c with { Virtualhost = ctx.Arg(n) })
        .Add("snmp_name", (ctx, n, c) => c with { SnmpName = ctx.Arg(n) })
        .Add("alpha", (ctx, n, c) => c with { Alpha = ctx.Bool(n) })
        .Add("omega", (ctx, n, c) => c with { Omega = ctx.Bool(n) })
        .Add("quorum_up", (ctx, n, c) => c with { QuorumUp = ctx.Rest(n) })
        .Add("quorum_down", (ctx, n, c) => c with { QuorumDown = ctx.Rest(n) })
        .Add("quorum", (ctx, n, c) => c with { Quorum = ctx.IntOr(n, 0, 1, uint.MaxValue, c.Quorum) })
        .Add("hysteresis", (ctx, n, c) => c with { Hysteresis = ctx.IntOr(n, 0, 0, uint.MaxValue, c.Hysteresis) })
        .Add("weight", (ctx, n, c) => c with { Weight = ctx.IntOr(n, 0, 0, 65535, c.Weight) })
        .Add("sorry_server", (ctx, n, c) => ctx.Ip(n) is { } ip ? c with { SorryServer = new SorryServerConfig(ip, ctx.Port(n, 1) ?? 0) } : c)
        .Add("sorry_server_inhibit", (ctx, n, c) => c with { SorryServerInhibit = ctx.Bool(n) })
        .Add("sorry_server_lvs_method", (ctx, n, c) => Method(ctx, n, 0) is var (m, _) && m is not null ? c with { SorryServerMethod = m } : c)
        .Add("real_server", (ctx, n, c) => c);

    public static readonly KeywordMap<RealServerConfig> RealServerMap = new KeywordMap<RealServerConfig>("real_server")
        .Add("weight", (ctx, n, c) => c with { Weight = ctx.IntOr(n, 0, 0, 65535, c.Weight) })
        .Add("lvs_method", (ctx, n, c) => Method(ctx, n, 0) is var (m, t) && m is not null ? c with { Method = m.Value, Tunnel = t } : c)
        .Add("uthreshold", (ctx, n, c) => c with { UpperThreshold = ctx.IntOr(n, 0, 0, uint.MaxValue, 0) })
        .Add("lthreshold", (ctx, n, c) => c with { LowerThreshold = ctx.IntOr(n, 0, 0, uint.MaxValue, 0) })
        .Add("inhibit_on_failure", (ctx, n, c) => c with { InhibitOnFailure = ctx.Bool(n) })
        .Add("notify_up", (ctx, n, c) => c with { NotifyUp = ctx.Rest(n) })
        .Add("notify_down", (ctx, n, c) => c with { NotifyDown = ctx.Rest(n) })
        .Add("alpha", (ctx, n, c) => c with { Alpha = ctx.Bool(n) })
        .Add("retry", (ctx, n, c) => c with { Retry = ctx.IntOr(n, 0, 0, uint.MaxValue, 1) })
        .Add("delay_before_retry", (ctx, n, c) => c with { DelayBeforeRetry = ctx.TimerOr(n, 0, 0, uint.MaxValue, TimeSpan.FromSeconds(1)) })
        .Add("warmup", (ctx, n, c) => c with { Warmup = ctx.TimerOr(n, 0, 0, uint.MaxValue, TimeSpan.Zero) })
        .Add("connect_timeout", (ctx, n, c) => c with { ConnectTimeout = ctx.TimerOr(n, 0, 0.000001, uint.MaxValue, c.ConnectTimeout) })
        .Add("delay_loop", (ctx, n, c) => c with { DelayLoop = ctx.TimerOr(n, 0, 0.000001, uint.MaxValue, c.DelayLoop) })
        .Add("smtp_alert", (ctx, n, c) => c with { SmtpAlert = ctx.Bool(n) })
        .Add("virtualhost", (ctx, n, c) => c with { Virtualhost = ctx.Arg(n) })
        .Add("snmp_name", (ctx, n, c) => c with { SnmpName = ctx.Arg(n) })
        .Add(CheckerBinder.Keywords, (ctx, n, c) => c);

    private static T Bad<T>(BindContext ctx, ConfigNode n, T c, string? message = null)
    {
        ctx.Error(n, message ?? $"invalid value for '{n.Keyword}'");
        return c;
    }

    private static (LvsMethod? Method, TunnelConfig? Tunnel) Method(BindContext ctx, ConfigNode n, int index)
    {
        var text = ctx.Arg(n, index);
        LvsMethod? method = text?.ToUpperInvariant() switch
        {
            "NAT" => LvsMethod.Nat,
            "DR" => LvsMethod.Dr,
            "TUN" => LvsMethod.Tun,
            _ => null,
        };
        if (method is null)
        {
            ctx.Error(n, $"invalid forwarding method '{text}' (NAT, DR or TUN)");
            return (null, null);
        }
        if (method != LvsMethod.Tun || n.Args.Length <= index + 1)
        {
            return (method, null);
        }
        string type = "ipip";
        int? port = null;
        string? checksum = null;
        for (var i = index + 1; i < n.Args.Length; i++)
        {
            switch (n.Args[i])
            {
                case "type" when i + 1 < n.Args.Length:
                    type = n.Args[++i];
                    break;
                case "port" when i + 1 < n.Args.Length:
                    port = ctx.IntOr(n, ++i, 1, 65535, 0);
                    break;
                case "nocsum" or "csum" or "remcsum":
                    checksum = n.Args[i];
                    break;
                default:
                    ctx.Error(n, $"unknown tunnel option '{n.Args[i]}'");
                    break;
            }
        }
        return (method, new TunnelConfig(type, port, checksum));
    }

    public static VirtualServerGroupConfig Group(BindContext ctx, ConfigNode node, string name)
    {
        var entries = new List<VirtualServerGroupEntryConfig>();
        foreach (var line in node.Children ?? [])
        {
            if (line.Keyword == "fwmark")
            {
                if (ctx.Int(line, 0, 1, uint.MaxValue, out var mark))
                {
                    entries.Add(new VirtualServerGroupEntryConfig(null, null, 0, mark, line.Args.Length > 1 ? line.Args[1] : null));
                }
                continue;
            }
            var text = line.Keyword;
            IPAddress? end = null;
            var dash = text.LastIndexOf('-');
            if (dash > 0 && !text.Contains('/', StringComparison.Ordinal))
            {
                var start = BindContext.ParseIp(text[..dash]);
                var last = text[(dash + 1)..];
                if (start is not null && start.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                    && byte.TryParse(last, out var lastOctet))
                {
                    var bytes = start.GetAddressBytes();
                    bytes[3] = lastOctet;
                    end = new IPAddress(bytes);
                }
                else if (start is not null && start.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                    && ushort.TryParse(last, System.Globalization.NumberStyles.HexNumber, null, out var lastGroup))
                {
                    var bytes = start.GetAddressBytes();
                    bytes[14] = (byte)(lastGroup >> 8);
                    bytes[15] = (byte)lastGroup;
                    end = new IPAddress(bytes);
                }
                else
                {
                    ctx.Error(line, $"invalid virtual_server_group range '{text}'");
                    continue;
                }
                text = text[..dash];
            }
            var ip = BindContext.ParseIp(text);
            if (ip is null)
            {
                ctx.Error(line, $"invalid virtual_server_group address '{line.Keyword}'");
                continue;
            }
            var port = line.Args.Length > 0 ? ctx.Port(line, 0) ?? 0 : 0;
            entries.Add(new VirtualServerGroupEntryConfig(ip, end, port, null, null));
        }
        return new VirtualServerGroupConfig(name, entries.ToEquatableArray());
    }

    public static VirtualServerConfig? VirtualServer(BindContext ctx, ConfigNode node)
    {
        var vs = new VirtualServerConfig();
        switch (node.Args.FirstOrDefault())
        {
            case null:
                ctx.Error(node, "virtual_server needs IP PORT, fwmark N or group NAME");
                return null;
            case "fwmark":
                if (!ctx.Int(node, 1, 1, uint.MaxValue, out var mark))
                {
                    return null;
                }
                vs = vs with { Fwmark = mark };
                break;
            case "group":
                var group = ctx.Arg(node, 1);
                if (group is null)
                {
                    return null;
                }
                vs = vs with { Group = group };
                break;
            default:
                var ip = BindContext.ParseIp(node.Args[0]);
                if (ip is null)
                {
                    ctx.Error(node, $"invalid virtual server address '{node.Args[0]}'");
                    return null;
                }
                vs = vs with { Address = ip, Port = node.Args.Length > 1 ? ctx.Port(node, 1) ?? 0 : 0 };
                break;
        }
        var children = node.Children ?? [];
        vs = VirtualServerMap.Bind(ctx, children.Where(c => c.Keyword != "real_server").ToList(), vs, out var seen);
        var name = vs.ToString();
        if (!seen.Contains("protocol") && vs.Fwmark is null)
        {
            ctx.Warning(node, $"Virtual server {name}: no protocol set - defaulting to UDP");
        }
        else if (seen.Contains("protocol") && vs.Fwmark is not null)
        {
            // keepalived compat: the warning is given, the protocol kept (a fwmark service has none).
            ctx.Warning(node, $"Warning: Virtual server {name}: protocol specified for fwmark - protocol will be ignored");
        }
        if (!seen.Contains("lb_algo") && !seen.Contains("lvs_sched"))
        {
            ctx.Warning(node, $"Virtual server {vs}: no scheduler set, setting default 'wlc'");
        }
        if (!seen.Contains("lb_kind") && !seen.Contains("lvs_method"))
        {
            ctx.Warning(node, $"Virtual server {vs}: no forwarding method set, setting default NAT");
        }
        if (vs.Hysteresis >= vs.Quorum && seen.Contains("hysteresis"))
        {
            ctx.Warning(node, $"Virtual server {vs}: hysteresis {vs.Hysteresis} >= quorum {vs.Quorum}, setting to {vs.Quorum - 1}");
            vs = vs with { Hysteresis = vs.Quorum - 1 };
        }
        if (vs.SorryServer is { } sorry && vs.Fwmark is null && vs.Group is null && sorry.Port != vs.Port
            && (vs.SorryServerMethod ?? vs.Method) != LvsMethod.Nat)
        {
            // keepalived compat: DR and TUN cannot change the port.
            ctx.Warning(node, $"WARNING - virtual server {vs} and sorry server ports don't match - resetting");
            vs = vs with { SorryServer = sorry with { Port = vs.Port } };
        }
        var servers = new List<RealServerConfig>();
        foreach (var child in children.Where(c => c.Keyword == "real_server"))
        {
            if (RealServer(ctx, child, vs) is { } rs)
            {
                servers.Add(ctx.Locate(CheckPort(ctx, child, vs, rs), child.At));
            }
        }
        vs = vs with { RealServers = servers.ToEquatableArray() };
        if (servers.Count == 0 && vs.SorryServer is null)
        {
            ctx.Warning(node, $"Virtual server {vs} has no real servers - ignoring");
            return null;
        }
        return ctx.Locate(vs, node.At);
    }

    /// <summary>keepalived compat: with DR or TUN the real server must listen on the virtual server's port,
    /// and a fwmark service has no port at all.</summary>
    private static RealServerConfig CheckPort(BindContext ctx, ConfigNode node, VirtualServerConfig vs, RealServerConfig rs)
    {
        if (rs.Method == LvsMethod.Nat || vs.Group is not null)
        {
            return rs;
        }
        if (vs.Fwmark is not null && rs.Port != 0)
        {
            ctx.Warning(node, $"WARNING - fwmark virtual server {vs}, real server [{rs.Address}]:{rs.Port} has port specified - clearing");
            return rs with { Port = 0 };
        }
        if (vs.Fwmark is null && rs.Port != vs.Port)
        {
            ctx.Warning(node, $"WARNING - virtual server {vs} and real server [{rs.Address}]:{rs.Port} ports don't match - resetting");
            return rs with { Port = vs.Port };
        }
        return rs;
    }

    private static RealServerConfig? RealServer(BindContext ctx, ConfigNode node, VirtualServerConfig vs)
    {
        var ip = ctx.Ip(node, 0);
        if (ip is null)
        {
            return null;
        }
        var rs = new RealServerConfig
        {
            Address = ip,
            Port = node.Args.Length > 1 ? ctx.Port(node, 1) ?? vs.Port : vs.Port,
            Weight = vs.Weight,
            Method = vs.Method,
            Tunnel = vs.Tunnel,
            InhibitOnFailure = vs.InhibitOnFailure,
            Alpha = vs.Alpha,
            Retry = vs.Retry,
            DelayBeforeRetry = vs.DelayBeforeRetry,
            Warmup = vs.Warmup,
            ConnectTimeout = vs.ConnectTimeout,
            DelayLoop = vs.DelayLoop,
            SmtpAlert = vs.SmtpAlert,
            Virtualhost = vs.Virtualhost,
        };
        var children = node.Children ?? [];
        rs = RealServerMap.Bind(ctx, children.Where(c => !CheckerBinder.IsChecker(c.Keyword)).ToList(), rs, out _);
        var checkers = new List<CheckerConfig>();
        foreach (var child in children.Where(c => CheckerBinder.IsChecker(c.Keyword)))
        {
            if (CheckerBinder.Bind(ctx, child, rs) is { } checker)
            {
                checkers.Add(ctx.Locate(checker, child.At));
            }
        }
        return rs with { Checkers = checkers.ToEquatableArray() };
    }
}
