namespace Vigil.Balancing.Model;

/// <summary>
/// How a service schedules: everything about a service the kernel can change in place.
/// </summary>
/// <param name="Scheduler">lb_algo: rr, wrr, lc, wlc, sh, mh, ...</param>
/// <param name="Flags">Scheduler flags as keepalived writes them (sh-port, sh-fallback, mh-port, mh-fallback, ops, hashed, flag-1..3), sorted.</param>
/// <param name="PersistenceTimeout">persistence_timeout; null when the service is not persistent.</param>
/// <param name="PersistenceGranularity">persistence_granularity as a prefix length (32 or 128 when not written).</param>
/// <param name="PersistenceEngine">persistence_engine (sip), or null.</param>
public sealed record ServiceSpec(
    string Scheduler,
    IReadOnlyList<string> Flags,
    TimeSpan? PersistenceTimeout = null,
    int? PersistenceGranularity = null,
    string? PersistenceEngine = null)
{
    public bool Equals(ServiceSpec? other) =>
        other is not null && Scheduler == other.Scheduler && Flags.SequenceEqual(other.Flags)
        && PersistenceTimeout == other.PersistenceTimeout && PersistenceGranularity == other.PersistenceGranularity
        && PersistenceEngine == other.PersistenceEngine;

    public override int GetHashCode() => HashCode.Combine(Scheduler, Flags.Count, PersistenceTimeout, PersistenceGranularity, PersistenceEngine);

    public static ServiceSpec Create(string scheduler, IEnumerable<string>? flags = null, TimeSpan? persistenceTimeout = null,
        int? persistenceGranularity = null, string? persistenceEngine = null) =>
        new(scheduler, [.. (flags ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], persistenceTimeout, persistenceGranularity, persistenceEngine);
}

/// <summary>lvs_method TUN's tunnel: type ipip|gue|gre, GUE port, checksum option.</summary>
public sealed record TunnelSpec(string Type, int? Port = null, string? Checksum = null);

/// <summary>One real server as the kernel should hold it.</summary>
public sealed record DestinationSpec(
    ForwardingMethod Method,
    int Weight,
    int UpperThreshold = 0,
    int LowerThreshold = 0,
    TunnelSpec? Tunnel = null);
