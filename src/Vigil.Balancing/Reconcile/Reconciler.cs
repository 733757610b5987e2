using Vigil.Balancing.Model;

namespace Vigil.Balancing.Reconcile;

/// <summary>
/// Computes the commands that bring the kernel's state to the desired one. Pure and idempotent:
/// reconciling a state with itself yields nothing, so a restart or a reload converges without
/// flushing services that should stay.
/// </summary>
public static class Reconciler
{
    /// <summary>
    /// Diffs <paramref name="desired"/> against <paramref name="actual"/>. Services present only in the
    /// kernel are deleted only when <paramref name="owned"/> says vigil made them; others are left alone,
    /// and so are their destinations.
    /// Order: new and changed services first; in each, new and changed destinations before removed ones
    /// (traffic always has somewhere to go); services that should go last.
    /// </summary>
    public static IReadOnlyList<DataPlaneCommand> Diff(DataPlaneState desired, DataPlaneState actual, Func<ServiceKey, bool> owned)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(owned);
        var commands = new List<DataPlaneCommand>();

        foreach (var want in desired.Services.Values.OrderBy(s => s.Key))
        {
            if (!actual.Services.TryGetValue(want.Key, out var have))
            {
                commands.Add(new AddService(want.Key, want.Spec));
                foreach (var (key, spec) in want.Destinations.OrderBy(d => d.Key))
                    commands.Add(new AddDestination(want.Key, key, spec));
                continue;
            }
            if (!want.Spec.Equals(have.Spec)) commands.Add(new UpdateService(want.Key, want.Spec));
            foreach (var (key, spec) in want.Destinations.OrderBy(d => d.Key))
            {
                if (!have.Destinations.TryGetValue(key, out var current)) commands.Add(new AddDestination(want.Key, key, spec));
                else if (current != spec) commands.Add(new UpdateDestination(want.Key, key, spec));
            }
            foreach (var key in have.Destinations.Keys.Where(k => !want.Destinations.ContainsKey(k)).Order())
                commands.Add(new DeleteDestination(want.Key, key));
        }

        foreach (var key in actual.Services.Keys.Where(k => !desired.Services.ContainsKey(k) && owned(k)).Order())
            commands.Add(new DeleteService(key));
        return commands;
    }

    /// <summary>Applies commands to a state in memory: what the kernel will hold after a backend applied them.</summary>
    public static DataPlaneState Apply(DataPlaneState state, IEnumerable<DataPlaneCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(commands);
        var services = state.Services.ToDictionary(s => s.Key, s => (Spec: s.Value.Spec, Dests: s.Value.Destinations.ToDictionary()));
        foreach (var command in commands)
        {
            switch (command)
            {
                case AddService a:
                    if (!services.TryAdd(a.Service, (a.Spec, []))) throw new InvalidOperationException($"{a}: service exists");
                    break;
                case UpdateService u:
                    services[u.Service] = (u.Spec, Existing(u).Dests);
                    break;
                case DeleteService d:
                    if (!services.Remove(d.Service)) throw new InvalidOperationException($"{d}: no such service");
                    break;
                case AddDestination ad:
                    if (!Existing(ad).Dests.TryAdd(ad.Destination, ad.Spec)) throw new InvalidOperationException($"{ad}: destination exists");
                    break;
                case UpdateDestination ud:
                    var dests = Existing(ud).Dests;
                    if (!dests.ContainsKey(ud.Destination)) throw new InvalidOperationException($"{ud}: no such destination");
                    dests[ud.Destination] = ud.Spec;
                    break;
                case DeleteDestination dd:
                    if (!Existing(dd).Dests.Remove(dd.Destination)) throw new InvalidOperationException($"{dd}: no such destination");
                    break;
                default:
                    throw new ArgumentException($"unknown command {command}", nameof(commands));
            }
        }
        return DataPlaneState.From(services.Select(s => new ServiceState(s.Key, s.Value.Spec, s.Value.Dests)));

        (ServiceSpec Spec, Dictionary<DestinationKey, DestinationSpec> Dests) Existing(DataPlaneCommand c) =>
            services.TryGetValue(c.Service, out var s) ? s : throw new InvalidOperationException($"{c}: no such service");
    }
}
