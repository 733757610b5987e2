using System.Net.Sockets;

namespace Vigil.Linux.Netlink.Route;

public sealed partial class RouteNetlink
{
    /// <summary>Every route of the family in every table (filter by <see cref="RouteEntry.Table"/>).</summary>
    public IReadOnlyList<RouteEntry> GetRoutes(AddressFamily family)
    {
        var routes = new List<RouteEntry>();
        Dump("RTM_GETROUTE dump", (w, s) => RouteCodec.WriteGetRoutes(w, s, family), (in NetlinkMessage m) =>
        {
            if (RouteCodec.TryParseRoute(m, out var route))
            {
                routes.Add(route);
            }
        });
        return routes;
    }

    /// <summary>Adds the route unless an equal one exists (NLM_F_EXCL). Returns true if it was added.</summary>
    public bool AddRouteIfAbsent(RouteEntry route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return Change("RTM_NEWROUTE", route.ToString(), (w, s) => RouteCodec.WriteRoute(w, s, route, RouteChange.Create), Errno.EEXIST);
    }

    /// <summary>Adds the route or replaces the one with the same key (`ip route replace`).</summary>
    public void ReplaceRoute(RouteEntry route)
    {
        ArgumentNullException.ThrowIfNull(route);
        Change("RTM_NEWROUTE", route.ToString(), (w, s) => RouteCodec.WriteRoute(w, s, route, RouteChange.Replace), Errno.None);
    }

    /// <summary>Deletes the route if the kernel has it. Returns true if it was deleted.</summary>
    public bool DeleteRouteIfPresent(RouteEntry route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return Change("RTM_DELROUTE", route.ToString(), (w, s) => RouteCodec.WriteRoute(w, s, route, RouteChange.Delete), Errno.ESRCH);
    }

    public IReadOnlyList<RoutingRule> GetRules(AddressFamily family)
    {
        var rules = new List<RoutingRule>();
        Dump("RTM_GETRULE dump", (w, s) => RouteCodec.WriteGetRules(w, s, family), (in NetlinkMessage m) =>
        {
            if (RouteCodec.TryParseRule(m, out var rule))
            {
                rules.Add(rule);
            }
        });
        return rules;
    }

    /// <summary>Adds the rule unless an equal one exists. Returns true if it was added.</summary>
    public bool AddRuleIfAbsent(RoutingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Change("RTM_NEWRULE", rule.ToString(), (w, s) => RouteCodec.WriteRule(w, s, rule, RouteChange.Create), Errno.EEXIST);
    }

    /// <summary>Deletes the rule if the kernel has it. Returns true if it was deleted.</summary>
    public bool DeleteRuleIfPresent(RoutingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Change("RTM_DELRULE", rule.ToString(), (w, s) => RouteCodec.WriteRule(w, s, rule, RouteChange.Delete), Errno.ENOENT);
    }

    /// <summary>Sends one change; returns true on success, false when the kernel answers <paramref name="benign"/>.</summary>
    private bool Change(string operation, string what, Action<NetlinkMessageWriter, uint> write, Errno benign)
    {
        Errno errno;
        string? detail;
        lock (_lock)
        {
            _writer.Clear();
            var sequence = _socket.NextSequence();
            write(_writer, sequence);
            (errno, detail) = _socket.Request(_writer, sequence, operation);
        }
        if (errno == Errno.None)
        {
            return true;
        }
        if (errno == benign && benign != Errno.None)
        {
            return false;
        }
        throw new KernelException(errno, $"{operation} {what}", detail);
    }

    private void Dump(string operation, Action<NetlinkMessageWriter, uint> write, NetlinkMessageHandler onMessage)
    {
        lock (_lock)
        {
            _writer.Clear();
            var sequence = _socket.NextSequence();
            write(_writer, sequence);
            _socket.Dump(_writer, sequence, operation, onMessage);
        }
    }
}
