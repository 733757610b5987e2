using System.Net.Sockets;
using Vigil.Linux.Namespaces;

namespace Vigil.Linux.Nftables;

/// <summary>
/// keepalived's nftables table for VRRP (no_accept drops, VMAC multicast duplication), one per family, each brought to a
/// <see cref="VrrpFirewallState"/> in one atomic transaction; unchanged states cost nothing.
/// </summary>
public sealed class VrrpFirewall : IDisposable
{
    private readonly NftablesContext _nft;
    private readonly Dictionary<AddressFamily, VrrpFirewallState> _applied = [];

    public VrrpFirewall(NetworkNamespace? networkNamespace = null)
    {
        _nft = new NftablesContext(networkNamespace);
    }

    /// <summary>Transactions run so far.</summary>
    public int Transactions { get; private set; }

    /// <summary>Brings the family's table to <paramref name="state"/>; an empty state deletes it.</summary>
    public void Apply(VrrpFirewallState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_applied.TryGetValue(state.Family, out var last) ? last.SameAs(state) : state.IsEmpty)
        {
            return;
        }
        var onlyVips = last is not null && !state.IsEmpty && !last.IsEmpty && last.Filter == state.Filter && last.Vmacs.SequenceEqual(state.Vmacs);
        _nft.Run(onlyVips ? VrrpNftRuleset.UpdateVips(state) : VrrpNftRuleset.Build(state));
        Transactions++;
        _applied[state.Family] = state;
    }

    /// <summary>`nft -j list table ip|ip6 keepalived`; throws when the table does not exist.</summary>
    public string List(AddressFamily family) => _nft.Run(VrrpNftRuleset.List(family));

    public void Dispose() => _nft.Dispose();
}
