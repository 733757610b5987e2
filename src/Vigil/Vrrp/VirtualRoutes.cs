using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Vrrp;

/// <summary>
/// One owner's routes and rules (an instance's virtual_routes / virtual_rules, or the static_* blocks):
/// installed together, removed together. keepalived compat: routes go in before rules and rules come out
/// before routes. Kernel errors are logged and counted, never thrown.
/// </summary>
internal sealed partial class VirtualRoutes
{
    private readonly string _owner;
    private readonly string _kind;
    private readonly IReadOnlyList<RouteConfig> _routes;
    private readonly IReadOnlyList<RuleConfig> _rules;
    private readonly INetworkKernel _kernel;
    private readonly IpNames _names;
    private readonly ILogger _log;
    private readonly List<RouteEntry> _installedRoutes = [];
    private readonly List<RoutingRule> _installedRules = [];

    /// <param name="owner">The instance name, or "static" for the static_* blocks.</param>
    /// <param name="kind">"Virtual" or "Static": the word in keepalived's log lines ("setting Virtual Routes").</param>
    public VirtualRoutes(string owner, string kind, IReadOnlyList<RouteConfig> routes, IReadOnlyList<RuleConfig> rules, INetworkKernel kernel, IpNames names, ILogger log)
    {
        _owner = owner;
        _kind = kind;
        _routes = routes;
        _rules = rules;
        _kernel = kernel;
        _names = names;
        _log = log;
    }

    public bool IsEmpty => _routes.Count == 0 && _rules.Count == 0;

    /// <summary>True between <see cref="Install"/> and <see cref="Remove"/>.</summary>
    public bool Installed { get; private set; }

    /// <summary>Lines that could not be mapped or that the kernel refused.</summary>
    public long Errors { get; private set; }

    /// <summary>What the last <see cref="Install"/> put in (or found already there).</summary>
    public IReadOnlyList<RouteEntry> InstalledRoutes => _installedRoutes;

    public IReadOnlyList<RoutingRule> InstalledRules => _installedRules;

    public void Install()
    {
        if (Installed)
        {
            return;
        }
        Installed = true;
        if (_routes.Count > 0)
        {
            LogSetting(_log, _owner, "setting", _kind, "Routes");
        }
        foreach (var config in _routes)
        {
            if (Map(config) is { } route && Try("add", route.ToString(), () => _kernel.AddRouteIfAbsent(route)))
            {
                _installedRoutes.Add(route);
            }
        }
        if (_rules.Count > 0)
        {
            LogSetting(_log, _owner, "setting", _kind, "Rules");
        }
        foreach (var config in _rules)
        {
            if (Map(config) is { } rule && Try("add", rule.ToString(), () => _kernel.AddRuleIfAbsent(rule)))
            {
                _installedRules.Add(rule);
            }
        }
    }

    public void Remove() => RemoveExcept(null);

    /// <summary>Removes what this set installed except what <paramref name="next"/> (installed already) also has.</summary>
    public void RemoveExcept(VirtualRoutes? next)
    {
        if (!Installed)
        {
            return;
        }
        Installed = false;
        var rules = _installedRules.Where(r => next is null || !next._installedRules.Contains(r)).ToList();
        var routes = _installedRoutes.Where(r => next is null || !next._installedRoutes.Contains(r)).ToList();
        if (rules.Count > 0)
        {
            LogSetting(_log, _owner, "removing", _kind, "Rules");
        }
        foreach (var rule in rules)
        {
            Try("remove", rule.ToString(), () => _kernel.DeleteRuleIfPresent(rule));
        }
        if (routes.Count > 0)
        {
            LogSetting(_log, _owner, "removing", _kind, "Routes");
        }
        foreach (var route in routes)
        {
            Try("remove", route.ToString(), () => _kernel.DeleteRouteIfPresent(route));
        }
        _installedRules.Clear();
        _installedRoutes.Clear();
    }

    /// <summary>
    /// keepalived compat: an instance that starts as BACKUP removes its routes and rules first, in case a
    /// crashed run left them. Lines that do not map (a missing device) are skipped quietly here.
    /// </summary>
    public void RemoveLeftovers()
    {
        if (Installed)
        {
            return;
        }
        foreach (var config in _rules)
        {
            if (VirtualRoutesMapper.MapRule(config, _names, out _) is { } rule)
            {
                Try("remove", rule.ToString(), () => _kernel.DeleteRuleIfPresent(rule));
            }
        }
        foreach (var config in _routes)
        {
            if (VirtualRoutesMapper.MapRoute(config, _kernel.GetLinkIndex, _names, out _) is { } route)
            {
                Try("remove", route.ToString(), () => _kernel.DeleteRouteIfPresent(route));
            }
        }
    }

    private RouteEntry? Map(RouteConfig config)
    {
        var route = VirtualRoutesMapper.MapRoute(config, _kernel.GetLinkIndex, _names, out var error);
        if (route is null)
        {
            Errors++;
            LogUnusable(_log, _owner, "route", config.Destination.ToString(), error ?? "invalid");
        }
        return route;
    }

    private RoutingRule? Map(RuleConfig config)
    {
        var rule = VirtualRoutesMapper.MapRule(config, _names, out var error);
        if (rule is null)
        {
            Errors++;
            LogUnusable(_log, _owner, "rule", $"preference {config.Preference}", error ?? "invalid");
        }
        return rule;
    }

    private bool Try(string action, string what, Func<bool> change)
    {
        try
        {
            change();
            return true;
        }
        catch (KernelException e)
        {
            Errors++;
            LogKernelFailed(_log, _owner, action, what, e.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "({Owner}) {Action} {Kind} {What}")]
    private static partial void LogSetting(ILogger logger, string owner, string action, string kind, string what);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Error, Message = "({Owner}) cannot use {Kind} {What}: {Error}")]
    private static partial void LogUnusable(ILogger logger, string owner, string kind, string what, string error);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Error, Message = "({Owner}) cannot {Action} {What}: {Error}")]
    private static partial void LogKernelFailed(ILogger logger, string owner, string action, string what, string error);
}
