using Vigil.Balancing.Model;

namespace Vigil.Balancing;

/// <summary>A kernel load-balancing data plane as the host drives it.</summary>
internal interface IDataPlane : IDisposable
{
    /// <summary>"ipvs" or "nftables", for logs and errors.</summary>
    string Name { get; }

    /// <summary>Why this data plane cannot program a virtual server (one message per problem), naming the keyword and the backend.</summary>
    IReadOnlyList<string> Validate(VirtualServerModel virtualServer);

    /// <summary>Brings the kernel to <paramref name="desired"/>; <paramref name="owned"/> says which services vigil may delete.</summary>
    void Apply(DataPlaneState desired, Func<ServiceKey, bool> owned);

    /// <summary>Removes the services in <paramref name="services"/> (stop without -I).</summary>
    void Remove(IEnumerable<ServiceKey> services);
}

/// <summary>vigil_dataplane / --dataplane.</summary>
internal enum DataPlaneChoice
{
    Auto,
    Ipvs,
    Nftables,
}
