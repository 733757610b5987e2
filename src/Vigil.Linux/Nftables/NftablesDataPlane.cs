using Vigil.Linux.Namespaces;

namespace Vigil.Linux.Nftables;

/// <summary>
/// vigil's nftables table: <see cref="Apply"/> brings it to a list of services in one atomic
/// transaction. When only backends or weights changed, only those services' chains are refilled.
/// </summary>
public sealed class NftablesDataPlane : IDisposable
{
    private readonly NftablesContext _nft;
    private Dictionary<string, NftService>? _applied;

    public NftablesDataPlane(NetworkNamespace? networkNamespace = null, string table = NftRuleset.DefaultTable)
    {
        Table = table;
        _nft = new NftablesContext(networkNamespace);
    }

    public string Table { get; }

    /// <summary>Transactions run so far (for metrics and tests).</summary>
    public int Transactions { get; private set; }

    /// <summary>Brings vigil's table to exactly these services.</summary>
    public void Apply(IReadOnlyList<NftService> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var wanted = new Dictionary<string, NftService>(StringComparer.Ordinal);
        foreach (var s in services)
        {
            if (!wanted.TryAdd(s.ChainName, s)) throw new ArgumentException($"service {s.ChainName} appears twice", nameof(services));
        }
        string json;
        if (_applied is not null && _applied.Keys.Order(StringComparer.Ordinal).SequenceEqual(wanted.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal)
            && wanted.All(s => SameDispatch(_applied[s.Key], s.Value)))
        {
            var changed = wanted.Values.Where(s => !SameBackends(_applied[s.ChainName], s)).ToList();
            if (changed.Count == 0) return;
            json = NftRuleset.Update(Table, changed);
        }
        else
        {
            json = NftRuleset.Full(Table, services, ChainNames());
        }
        _nft.Run(json);
        Transactions++;
        _applied = wanted;
    }

    /// <summary>Chains in vigil's table now (empty when the table does not exist).</summary>
    public IReadOnlyList<string> ChainNames()
    {
        try
        {
            return NftRuleset.ChainNames(_nft.Run(NftRuleset.ListTable(Table)));
        }
        catch (KernelException)
        {
            return [];
        }
    }

    /// <summary>`nft -j list table inet vigil`, as JSON.</summary>
    public string List() => _nft.Run(NftRuleset.ListTable(Table));

    /// <summary>Removes vigil's table (stop without -I).</summary>
    public void Remove()
    {
        _nft.Run(NftRuleset.DeleteTable(Table));
        _applied = null;
    }

    public void Dispose() => _nft.Dispose();

    private static bool SameDispatch(NftService a, NftService b) =>
        a.Family == b.Family && a.Protocol == b.Protocol && Equals(a.Address, b.Address) && a.Port == b.Port && a.Fwmark == b.Fwmark;

    private static bool SameBackends(NftService a, NftService b) =>
        a.Scheduler == b.Scheduler && a.HashPort == b.HashPort && a.Backends.SequenceEqual(b.Backends);
}
