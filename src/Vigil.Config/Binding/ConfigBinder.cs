using Vigil.Config.Syntax;

namespace Vigil.Config.Binding;

/// <summary>Binds the root of the syntax tree to <see cref="KeepalivedConfig"/>. global_defs is bound first,
/// wherever it is written, so that its defaults reach every instance.</summary>
internal static class ConfigBinder
{
    public static readonly IReadOnlyList<string> RootKeywords =
    [
        "linkbeat_use_polling", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "use_pid_dir", "instance",
        "child_wait_time", "global_defs", "track_group", "static_ipaddress", "static_routes", "static_rules",
        "vrrp_sync_group", "garp_group", "linkbeat_interfaces", "vrrp_instance", "vrrp_script", "vrrp_track_process",
        "interface_up_down_delays", "track_file", "vrrp_track_file", "bfd_instance", "SSL", "virtual_server_group",
        "virtual_server",
    ];

    public static KeepalivedConfig Bind(BindContext ctx, List<ConfigNode> roots)
    {
        var globals = new GlobalDefsConfig();
        foreach (var node in roots.Where(n => n.Keyword == "global_defs"))
        {
            globals = GlobalDefsBinder.Bind(ctx, node, globals);
        }
        ctx.GlobalDefs = globals;

        var root = new RootConfig();
        var staticAddresses = EquatableArray<VirtualAddressConfig>.Empty;
        var staticRoutes = new List<RouteConfig>();
        var staticRules = new List<RuleConfig>();
        var trackGroups = new List<TrackGroupConfig>();
        var linkbeat = new List<LinkbeatInterfaceConfig>();
        var delays = new List<InterfaceDelayConfig>();
        var scripts = new List<VrrpScriptConfig>();
        var files = new List<TrackFileConfig>();
        var processes = new List<TrackProcessConfig>();
        var bfds = new List<BfdInstanceConfig>();
        var garps = new List<GarpGroupConfig>();
        var syncGroups = new List<VrrpSyncGroupConfig>();
        var instances = new List<VrrpInstanceConfig>();
        var ssl = new List<SslConfig>();
        var vsGroups = new List<VirtualServerGroupConfig>();
        var servers = new List<VirtualServerConfig>();

        foreach (var node in roots)
        {
            switch (node.Keyword)
            {
                case "global_defs":
                    break;
                case "linkbeat_use_polling":
                    root = root with { LinkbeatUsePolling = true };
                    break;
                case "net_namespace":
                    root = root with { NetNamespace = ctx.Arg(node) };
                    break;
                case "net_namespace_ipvs":
                    root = root with { NetNamespaceIpvs = true };
                    break;
                case "namespace_with_ipsets":
                    root = root with { NamespaceWithIpsets = true };
                    break;
                case "use_pid_dir":
                    root = root with { UsePidDir = true };
                    break;
                case "instance":
                    root = root with { Instance = ctx.Arg(node) };
                    break;
                case "child_wait_time":
                    root = root with { ChildWaitTime = ctx.TimerOr(node, 0, 0, 3600, root.ChildWaitTime) };
                    break;
                case "static_ipaddress":
                    staticAddresses = IpBinder.Addresses(ctx, node, staticAddresses);
                    break;
                case "static_routes":
                    staticRoutes.AddRange(IpBinder.Routes(ctx, node, virtualRoutes: false));
                    break;
                case "static_rules":
                    staticRules.AddRange(IpBinder.Rules(ctx, node));
                    break;
                case "track_group":
                    if (Named(ctx, node) is { } trackGroup)
                    {
                        var members = (node.Children ?? []).Where(c => c.Keyword == "group").SelectMany(c => c.Children ?? []).SelectMany(c => c.Words);
                        foreach (var child in (node.Children ?? []).Where(c => c.Keyword != "group"))
                        {
                            ctx.Diagnostics.Warning(child.At, $"Unknown keyword '{child.Keyword}' in track_group");
                        }
                        trackGroups.Add(ctx.Locate(new TrackGroupConfig(trackGroup, members.ToEquatableArray()), node.At));
                    }
                    break;
                case "linkbeat_interfaces":
                    foreach (var line in node.Children ?? [])
                    {
                        var method = line.Args.FirstOrDefault();
                        if (method is not null and not "MII" and not "ETHTOOL" and not "IOCTL")
                        {
                            ctx.Error(line, $"unknown linkbeat method '{method}' (MII, ETHTOOL or IOCTL)");
                            method = null;
                        }
                        linkbeat.Add(new LinkbeatInterfaceConfig(line.Keyword, method));
                    }
                    break;
                case "interface_up_down_delays":
                    foreach (var line in node.Children ?? [])
                    {
                        var down = ctx.TimerOr(line, 0, 0, 255, TimeSpan.Zero);
                        var up = line.Args.Length > 1 ? ctx.TimerOr(line, 1, 0, 255, TimeSpan.Zero) : down;
                        delays.Add(new InterfaceDelayConfig(line.Keyword, down, up));
                    }
                    break;
                case "vrrp_script":
                    if (Named(ctx, node) is { } scriptName && TrackingBinder.Script(ctx, node, scriptName) is { } script)
                    {
                        scripts.Add(ctx.Locate(script, node.At));
                    }
                    break;
                case "track_file" or "vrrp_track_file":
                    if (Named(ctx, node) is { } fileName && TrackingBinder.File(ctx, node, fileName) is { } file)
                    {
                        files.Add(ctx.Locate(file, node.At));
                    }
                    break;
                case "vrrp_track_process":
                    if (Named(ctx, node) is { } processName && TrackingBinder.Process(ctx, node, processName) is { } process)
                    {
                        processes.Add(ctx.Locate(process, node.At));
                    }
                    break;
                case "bfd_instance":
                    if (Named(ctx, node) is { } bfdName && TrackingBinder.Bfd(ctx, node, bfdName) is { } bfd)
                    {
                        bfds.Add(ctx.Locate(bfd, node.At));
                    }
                    break;
                case "garp_group":
                    garps.Add(ctx.Locate(TrackingBinder.GarpMap.Bind(ctx, node.Children, new GarpGroupConfig(), out _), node.At));
                    break;
                case "vrrp_sync_group":
                    if (Named(ctx, node) is { } groupName)
                    {
                        var group = TrackingBinder.SyncGroupMap.Bind(ctx, node.Children, new VrrpSyncGroupConfig { Name = groupName }, out _);
                        syncGroups.Add(ctx.Locate(group, node.At));
                    }
                    break;
                case "vrrp_instance":
                    if (Named(ctx, node) is { } instanceName)
                    {
                        var instance = VrrpInstanceBinder.Map.Bind(ctx, node.Children, new VrrpInstanceConfig { Name = instanceName }, out var seen);
                        instance = VrrpInstanceBinder.Finish(ctx, instance, seen, node.At);
                        if (instance.VirtualRouterId == 0)
                        {
                            ctx.Diagnostics.Error(node.At, $"({instanceName}) the virtual router id must be set");
                            break;
                        }
                        instances.Add(ctx.Locate(instance, node.At));
                    }
                    break;
                case "SSL":
                    ssl.Add(BindSsl(ctx, node));
                    break;
                case "virtual_server_group":
                    if (Named(ctx, node) is { } vsGroupName)
                    {
                        vsGroups.Add(ctx.Locate(LvsBinder.Group(ctx, node, vsGroupName), node.At));
                    }
                    break;
                case "virtual_server":
                    if (LvsBinder.VirtualServer(ctx, node) is { } vs)
                    {
                        servers.Add(vs);
                    }
                    break;
                default:
                    ctx.Warning(node, $"Unknown keyword '{node.Keyword}'");
                    break;
            }
        }

        return new KeepalivedConfig
        {
            Root = root,
            GlobalDefs = globals,
            StaticAddresses = staticAddresses,
            StaticRoutes = staticRoutes.ToEquatableArray(),
            StaticRules = staticRules.ToEquatableArray(),
            TrackGroups = trackGroups.ToEquatableArray(),
            LinkbeatInterfaces = linkbeat.ToEquatableArray(),
            InterfaceUpDownDelays = delays.ToEquatableArray(),
            VrrpScripts = scripts.ToEquatableArray(),
            TrackFiles = files.ToEquatableArray(),
            TrackProcesses = processes.ToEquatableArray(),
            BfdInstances = bfds.ToEquatableArray(),
            GarpGroups = garps.ToEquatableArray(),
            SyncGroups = syncGroups.ToEquatableArray(),
            VrrpInstances = instances.ToEquatableArray(),
            Ssl = ssl.ToEquatableArray(),
            VirtualServerGroups = vsGroups.ToEquatableArray(),
            VirtualServers = servers.ToEquatableArray(),
        };
    }

    private static string? Named(BindContext ctx, ConfigNode node)
    {
        if (node.Args.Length == 0)
        {
            ctx.Error(node, $"{node.Keyword} needs a name");
            return null;
        }
        if (node.Children is null)
        {
            ctx.Error(node, $"{node.Keyword} {node.Args[0]} has no '{{' block");
            return null;
        }
        return node.Args[0];
    }

    private static SslConfig BindSsl(BindContext ctx, ConfigNode node)
    {
        var ssl = new SslConfig();
        foreach (var line in node.Children ?? [])
        {
            ssl = line.Keyword switch
            {
                "password" => ssl with { Password = ctx.Arg(line) },
                "ca" => ssl with { Ca = ctx.Arg(line) },
                "certificate" => ssl with { Certificate = ctx.Arg(line) },
                "key" => ssl with { Key = ctx.Arg(line) },
                _ => Unknown(ctx, line, ssl),
            };
        }
        return ssl;
    }

    private static SslConfig Unknown(BindContext ctx, ConfigNode line, SslConfig ssl)
    {
        ctx.Warning(line, $"Unknown keyword '{line.Keyword}' in SSL");
        return ssl;
    }
}
