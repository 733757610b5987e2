namespace Vigil.Balancing.Model;

/// <summary>
/// Computes what the data plane should hold from the configured virtual servers and their health
/// (keepalived.md §4): a live real server with its (possibly misc_dynamic) weight; a dead one is removed,
/// or kept at weight 0 with inhibit_on_failure; while the sorry server serves, the real servers leave
/// (or idle at 0 if inhibited) and the sorry server has weight 1; sorry_server_inhibit keeps an idle sorry
/// server at weight 0.
/// </summary>
public static class DesiredStateBuilder
{
    /// <param name="health">Health per virtual server name; null or a missing real server means alive at the configured weight.</param>
    /// <param name="problems">Services claimed by more than one virtual server (the first one wins).</param>
    public static DataPlaneState Build(IEnumerable<VirtualServerModel> virtualServers, Func<string, VirtualServerHealth?> health,
        out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(virtualServers);
        ArgumentNullException.ThrowIfNull(health);
        var services = new Dictionary<ServiceKey, ServiceState>();
        var owners = new Dictionary<ServiceKey, string>();
        var issues = new List<string>();
        foreach (var vs in virtualServers)
        {
            var dests = Destinations(vs, health(vs.Name) ?? VirtualServerHealth.AllAlive);
            foreach (var key in vs.Services)
            {
                if (owners.TryGetValue(key, out var first))
                {
                    issues.Add($"{key} of virtual server {vs.Name} is already defined by {first}; ignored");
                    continue;
                }
                owners.Add(key, vs.Name);
                services.Add(key, new ServiceState(key, vs.Spec, dests));
            }
        }
        problems = issues;
        return DataPlaneState.From(services.Values);
    }

    /// <summary>The destinations one virtual server's services should hold.</summary>
    public static IReadOnlyDictionary<DestinationKey, DestinationSpec> Destinations(VirtualServerModel vs, VirtualServerHealth health)
    {
        ArgumentNullException.ThrowIfNull(vs);
        ArgumentNullException.ThrowIfNull(health);
        var dests = new Dictionary<DestinationKey, DestinationSpec>();
        foreach (var rs in vs.RealServers)
        {
            var h = health.RealServers.TryGetValue(rs.Key, out var view) ? view : new RealServerHealthView(true, rs.Spec.Weight);
            if (h.Alive && !health.SorryServerActive) dests[rs.Key] = rs.Spec with { Weight = h.Weight };
            else if (rs.InhibitOnFailure) dests[rs.Key] = rs.Spec with { Weight = 0 };
        }
        if (vs.SorryServer is { } sorry)
        {
            if (health.SorryServerActive) dests[sorry.Key] = new DestinationSpec(sorry.Method, 1);
            else if (vs.SorryServerInhibit) dests.TryAdd(sorry.Key, new DestinationSpec(sorry.Method, 0));
        }
        return dests;
    }
}
