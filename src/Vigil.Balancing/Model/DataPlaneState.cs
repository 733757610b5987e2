namespace Vigil.Balancing.Model;

/// <summary>One service with its destinations.</summary>
public sealed record ServiceState(ServiceKey Key, ServiceSpec Spec, IReadOnlyDictionary<DestinationKey, DestinationSpec> Destinations);

/// <summary>
/// A whole data plane: what vigil wants, or what was read back from the kernel. Immutable once built.
/// </summary>
public sealed class DataPlaneState
{
    public static readonly DataPlaneState Empty = new(new Dictionary<ServiceKey, ServiceState>());

    private readonly Dictionary<ServiceKey, ServiceState> _services;

    private DataPlaneState(Dictionary<ServiceKey, ServiceState> services) => _services = services;

    public IReadOnlyDictionary<ServiceKey, ServiceState> Services => _services;

    public int DestinationCount => _services.Values.Sum(s => s.Destinations.Count);

    public static DataPlaneState From(IEnumerable<ServiceState> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var map = new Dictionary<ServiceKey, ServiceState>();
        foreach (var s in services)
        {
            if (!map.TryAdd(s.Key, s)) throw new ArgumentException($"service {s.Key} appears twice", nameof(services));
        }
        return new DataPlaneState(map);
    }
}
