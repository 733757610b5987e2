using Vigil.Balancing.Model;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Nftables;

namespace Vigil.Balancing;

/// <summary>
/// The nftables data plane: NAT only, the stateless schedulers (rr, wrr, sh, dh, mh, fo). vigil owns
/// its table whole, so <see cref="Apply"/> programs the full desired state in one transaction and
/// services outside it need no ownership test.
/// </summary>
internal sealed class NftablesBackend(NetworkNamespace? networkNamespace = null, string table = NftRuleset.DefaultTable) : IDataPlane
{
    private readonly NftablesDataPlane _plane = new(networkNamespace, table);

    public string Name => "nftables";

    public NftablesDataPlane Plane => _plane;

    public IReadOnlyList<string> Validate(VirtualServerModel virtualServer) => Check(virtualServer);

    /// <summary>
    /// Schedulers that need connection counts are refused, never replaced. keepalived's default lb_algo is
    /// wlc, so a virtual server without lb_algo is refused too: the message says to set one.
    /// </summary>
    public static IReadOnlyList<string> Check(VirtualServerModel vs)
    {
        ArgumentNullException.ThrowIfNull(vs);
        var errors = new List<string>();
        if (NftService.ParseScheduler(vs.Spec.Scheduler) is null)
        {
            errors.Add($"virtual_server {vs.Name}: lb_algo {vs.Spec.Scheduler} is not supported by the nftables data plane " +
                $"(supported: {NftService.SupportedSchedulers}; keepalived's default is wlc, so set lb_algo, or use vigil_dataplane ipvs on a kernel with IPVS)");
        }
        if (vs.Spec.PersistenceTimeout is not null)
            errors.Add($"virtual_server {vs.Name}: persistence_timeout is not supported by the nftables data plane (use lb_algo sh or mh for source affinity, or IPVS)");
        if (vs.Spec.PersistenceEngine is not null)
            errors.Add($"virtual_server {vs.Name}: persistence_engine is not supported by the nftables data plane");
        foreach (var rs in vs.RealServers.Where(r => r.Spec.Method != ForwardingMethod.Nat))
            errors.Add($"virtual_server {vs.Name}: real_server {rs.Key}: lvs_method {Method(rs.Spec.Method)} is not supported by the nftables data plane (NAT only)");
        if (vs.SorryServer is { Method: not ForwardingMethod.Nat })
            errors.Add($"virtual_server {vs.Name}: sorry_server lvs_method {Method(vs.SorryServer.Method)} is not supported by the nftables data plane (NAT only)");
        foreach (var flag in vs.Spec.Flags.Where(f => f is not ("sh-port" or "mh-port" or "sh-fallback" or "mh-fallback" or "hashed")))
            errors.Add($"virtual_server {vs.Name}: scheduler flag {flag} is not supported by the nftables data plane");
        return errors;
    }

    public void Apply(DataPlaneState desired, Func<ServiceKey, bool> owned) => _plane.Apply(ToServices(desired));

    public void Remove(IEnumerable<ServiceKey> services) => _plane.Remove();

    public void Dispose() => _plane.Dispose();

    public static IReadOnlyList<NftService> ToServices(DataPlaneState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return [.. state.Services.Values.OrderBy(s => s.Key).Select(s => new NftService(
            s.Key.Family,
            s.Key.Protocol switch { ServiceProtocol.Tcp => NftProtocol.Tcp, ServiceProtocol.Udp => NftProtocol.Udp, _ => NftProtocol.Sctp },
            s.Key.Address,
            s.Key.Port,
            s.Key.Fwmark,
            NftService.ParseScheduler(s.Spec.Scheduler) ?? throw new InvalidOperationException($"{s.Key}: scheduler {s.Spec.Scheduler} was not validated"),
            [.. s.Destinations.OrderBy(d => d.Key).Select(d => new NftBackend(d.Key.Address, d.Key.Port, d.Value.Weight))],
            HashPort: s.Spec.Flags.Contains("sh-port") || s.Spec.Flags.Contains("mh-port")))];
    }

    private static string Method(ForwardingMethod m) => m switch
    {
        ForwardingMethod.DirectRoute => "DR",
        ForwardingMethod.Tunnel => "TUN",
        _ => "NAT",
    };
}
