using Vigil.Config.Binding;

namespace Vigil.Config;

/// <summary>Checks across blocks, once everything is bound: references between blocks, interfaces of
/// this host, duplicate VRIDs, scripts. Like keepalived, a dangling reference is dropped with a warning.</summary>
internal static class ConfigValidator
{
    public static KeepalivedConfig Validate(BindContext ctx, KeepalivedConfig config)
    {
        config = CheckScripts(ctx, config, out var disabled);
        config = CheckTrackReferences(ctx, config, disabled);
        config = CheckSyncGroups(ctx, config);
        config = CheckBfdCheckers(ctx, config);
        CheckInterfaces(ctx, config);
        CheckDuplicateVrids(ctx, config);
        CheckVirtualServers(ctx, config);
        return config;
    }

    private static KeepalivedConfig CheckTrackReferences(BindContext ctx, KeepalivedConfig config, HashSet<string> disabledScripts)
    {
        var scripts = config.VrrpScripts.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var files = config.TrackFiles.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var processes = config.TrackProcesses.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        // A bfd_instance marked "checker" only is not for VRRP (and "vrrp" only not for checkers).
        var bfds = config.BfdInstances.Where(b => b.Vrrp || !b.Checker).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        EquatableArray<TrackReferenceConfig> Keep(string owner, string kind, EquatableArray<TrackReferenceConfig> refs, HashSet<string> known)
        {
            var kept = new List<TrackReferenceConfig>();
            foreach (var reference in refs)
            {
                if (known.Contains(reference.Name))
                {
                    kept.Add(reference);
                }
                else if (kind != "script" || !disabledScripts.Contains(reference.Name))
                {
                    ctx.Diagnostics.Warning(ctx.LocationOf(reference), $"({owner}) track {kind} {reference.Name} not found, ignoring...");
                }
            }
            return kept.Count == refs.Count ? refs : kept.ToEquatableArray();
        }
        var instances = config.VrrpInstances.Select(i => Relocate(ctx, i, i with
        {
            TrackScripts = Keep(i.Name, "script", i.TrackScripts, scripts),
            TrackFiles = Keep(i.Name, "file", i.TrackFiles, files),
            TrackProcesses = Keep(i.Name, "process", i.TrackProcesses, processes),
            TrackBfds = Keep(i.Name, "bfd", i.TrackBfds, bfds),
        })).ToEquatableArray();
        var groups = config.SyncGroups.Select(g => Relocate(ctx, g, g with
        {
            TrackScripts = Keep(g.Name, "script", g.TrackScripts, scripts),
            TrackFiles = Keep(g.Name, "file", g.TrackFiles, files),
            TrackProcesses = Keep(g.Name, "process", g.TrackProcesses, processes),
            TrackBfds = Keep(g.Name, "bfd", g.TrackBfds, bfds),
        })).ToEquatableArray();
        return config with { VrrpInstances = instances, SyncGroups = groups };
    }

    private static KeepalivedConfig CheckBfdCheckers(BindContext ctx, KeepalivedConfig config)
    {
        var bfds = config.BfdInstances.Where(b => b.Checker || !b.Vrrp).Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        var changed = false;
        var servers = new List<VirtualServerConfig>();
        foreach (var vs in config.VirtualServers)
        {
            var realServers = new List<RealServerConfig>();
            foreach (var rs in vs.RealServers)
            {
                var checkers = new List<CheckerConfig>();
                foreach (var checker in rs.Checkers)
                {
                    if (checker is BfdCheckConfig bfd && !bfds.Contains(bfd.Name))
                    {
                        ctx.Diagnostics.Warning(ctx.LocationOf(checker), $"([{rs.Address}]:{vs.Protocol.ToString().ToLowerInvariant()}:{rs.Port}) BFD_CHECK - BFD {bfd.Name} not configured");
                        changed = true;
                        continue;
                    }
                    checkers.Add(checker);
                }
                realServers.Add(checkers.Count == rs.Checkers.Count ? rs : Relocate(ctx, rs, rs with { Checkers = checkers.ToEquatableArray() }));
            }
            servers.Add(realServers.SequenceEqual(vs.RealServers, ReferenceEqualityComparer.Instance) ? vs
                : Relocate(ctx, vs, vs with { RealServers = realServers.ToEquatableArray() }));
        }
        return changed ? config with { VirtualServers = servers.ToEquatableArray() } : config;
    }

    private static KeepalivedConfig CheckSyncGroups(BindContext ctx, KeepalivedConfig config)
    {
        var instances = config.VrrpInstances.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var kept = new List<VrrpSyncGroupConfig>();
        foreach (var group in config.SyncGroups)
        {
            var at = ctx.LocationOf(group);
            var members = new List<string>();
            foreach (var member in group.Group)
            {
                if (!instances.Contains(member))
                {
                    ctx.Diagnostics.Warning(at, $"Virtual router {member} specified in sync group {group.Name} doesn't exist - ignoring");
                }
                else if (owner.TryGetValue(member, out var other))
                {
                    ctx.Diagnostics.Error(at, $"Virtual router {member} cannot exist in more than one sync group; it is in {other} and {group.Name} - ignoring");
                }
                else if (!members.Contains(member, StringComparer.Ordinal))
                {
                    owner[member] = group.Name;
                    members.Add(member);
                }
            }
            if (members.Count == 0)
            {
                ctx.Diagnostics.Warning(at, $"Sync group {group.Name} has no virtual router(s). removing");
                continue;
            }
            kept.Add(Relocate(ctx, group, group with { Group = members.Count == group.Group.Count ? group.Group : members.ToEquatableArray() }));
        }
        return config with { SyncGroups = kept.ToEquatableArray() };
    }

    private static void CheckInterfaces(BindContext ctx, KeepalivedConfig config)
    {
        if (ctx.Options.Interfaces is not { } host)
        {
            return;
        }
        var d = ctx.Diagnostics;
        foreach (var address in config.StaticAddresses)
        {
            if (address.Device is { } dev && !host.Exists(dev))
            {
                d.Warning(ctx.LocationOf(address), $"WARNING - interface {dev} for ip address {address.Address} doesn't exist");
            }
        }
        foreach (var route in config.StaticRoutes)
        {
            CheckRoute(ctx, host, route);
        }
        foreach (var instance in config.VrrpInstances)
        {
            var at = ctx.LocationOf(instance);
            if (instance.Interface is { } iface && !host.Exists(iface))
            {
                d.Warning(at, $"WARNING - interface {iface} for vrrp_instance {instance.Name} doesn't exist");
            }
            foreach (var tracked in instance.TrackInterfaces)
            {
                if (!host.Exists(tracked.Name))
                {
                    d.Warning(ctx.LocationOf(tracked), $"({instance.Name}) tracked interface {tracked.Name} doesn't exist");
                }
            }
            foreach (var vip in instance.VirtualIpAddresses.Concat(instance.VirtualIpAddressesExcluded))
            {
                if (vip.Device is { } dev && !host.Exists(dev))
                {
                    d.Warning(ctx.LocationOf(vip), $"WARNING - interface {dev} for ip address {vip.Address} doesn't exist");
                }
            }
            foreach (var route in instance.VirtualRoutes)
            {
                CheckRoute(ctx, host, route);
            }
        }
        foreach (var group in config.SyncGroups)
        {
            foreach (var tracked in group.TrackInterfaces)
            {
                if (!host.Exists(tracked.Name))
                {
                    d.Warning(ctx.LocationOf(tracked), $"({group.Name}) tracked interface {tracked.Name} doesn't exist");
                }
            }
        }
    }

    private static void CheckRoute(BindContext ctx, IHostInterfaces host, RouteConfig route)
    {
        foreach (var dev in route.NextHops.Select(h => h.Device).Append(route.Device))
        {
            if (dev is not null && !host.Exists(dev))
            {
                ctx.Diagnostics.Warning(ctx.LocationOf(route), $"WARNING - interface {dev} for VROUTE nexthop doesn't exist");
            }
        }
    }

    private static void CheckDuplicateVrids(BindContext ctx, KeepalivedConfig config)
    {
        var seen = new Dictionary<(string?, int, bool), string>();
        foreach (var instance in config.VrrpInstances)
        {
            var key = (instance.Interface, instance.VirtualRouterId, instance.IsIPv6);
            if (seen.TryGetValue(key, out var other))
            {
                ctx.Diagnostics.Error(ctx.LocationOf(instance),
                    $"{other} and {instance.Name} both use VRID {instance.VirtualRouterId} with {(instance.IsIPv6 ? "IPv6" : "IPv4")} on interface {instance.Interface}");
            }
            else
            {
                seen[key] = instance.Name;
            }
        }
    }

    private static void CheckVirtualServers(BindContext ctx, KeepalivedConfig config)
    {
        var groups = config.VirtualServerGroups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var vs in config.VirtualServers)
        {
            if (vs.Group is { } group && !groups.Contains(group))
            {
                ctx.Diagnostics.Error(ctx.LocationOf(vs), $"Virtual server group {group} specified but not configured");
            }
        }
        if (config.GlobalDefs.LvsSyncDaemon is { Instance: { } instanceName }
            && !config.VrrpInstances.Any(i => i.Name == instanceName))
        {
            ctx.Diagnostics.Warning(default, $"lvs_sync_daemon vrrp instance {instanceName} not found");
        }
    }

    /// <summary>vrrp_script scripts given by absolute path must exist (else the script is disabled); any
    /// script that will run without enable_script_security is keepalived's "SECURITY VIOLATION".</summary>
    private static KeepalivedConfig CheckScripts(BindContext ctx, KeepalivedConfig config, out HashSet<string> disabled)
    {
        disabled = new HashSet<string>(StringComparer.Ordinal);
        var fs = ctx.Options.FileSystem;
        var runnable = false;
        var kept = new List<VrrpScriptConfig>();
        foreach (var script in config.VrrpScripts)
        {
            var program = FirstWord(script.Script);
            if (ctx.Options.CheckScriptFiles && program.StartsWith('/') && !fs.FileExists(program))
            {
                ctx.Diagnostics.Warning(ctx.LocationOf(script), $"Disabling track script {script.Name} since not found/accessible");
                disabled.Add(script.Name);
                continue;
            }
            runnable = true;
            kept.Add(script);
        }
        foreach (var (script, _) in ctx.ScriptsInUse)
        {
            var program = FirstWord(script);
            if (program.StartsWith('/') && fs.FileExists(program))
            {
                runnable = true;
            }
        }
        if (runnable && !config.GlobalDefs.EnableScriptSecurity)
        {
            ctx.Diagnostics.Add(new ConfigDiagnostic("", 0, ConfigSeverity.Warning,
                "SECURITY VIOLATION - scripts are being executed but script_security not enabled.") { IsScriptSecurity = true });
        }
        return kept.Count == config.VrrpScripts.Count ? config : config with { VrrpScripts = kept.ToEquatableArray() };
    }

    private static string FirstWord(string script)
    {
        var trimmed = script.TrimStart();
        var space = trimmed.IndexOfAny([' ', '\t']);
        return space < 0 ? trimmed : trimmed[..space];
    }

    private static T Relocate<T>(BindContext ctx, T old, T updated)
        where T : class
    {
        if (!ReferenceEquals(old, updated))
        {
            ctx.Locate(updated, ctx.LocationOf(old));
        }
        return updated;
    }
}
