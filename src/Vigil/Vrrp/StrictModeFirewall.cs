using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Vigil.Linux;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using Vigil.Linux.Nftables;

namespace Vigil.Vrrp;

/// <summary>
/// no_accept (and vrrp_strict, which implies it unless the instance owns the addresses) and use_vmac as keepalived 2.2.7
/// does them with nftables: table ip|ip6 keepalived with a "vips" set. A MASTER without Accept_Mode puts its VIPs in the
/// set before adding them and takes them out after removing them, so the host neither answers to nor sends from them
/// [RFC 5798 §6.1, §6.4.3]. One per VRRP host; instances register on start and unregister on stop; the table goes when
/// the last one leaves. Runs on the VRRP loop; nftables errors are logged.
/// </summary>
internal sealed partial class StrictModeFirewall
{
    private static readonly ConditionalWeakTable<RouteNetlink, StrictModeFirewall> s_hosts = [];

    private readonly NetworkNamespace? _namespace;
    private readonly ILogger _log;
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Action<VrrpFirewallState>? _apply;
    private VrrpFirewall? _nft;
    private bool _unavailable;

    private StrictModeFirewall(NetworkNamespace? ns, ILogger log)
    {
        _namespace = ns;
        _log = log;
    }

    /// <summary>For tests: states go to <paramref name="apply"/> instead of nftables.</summary>
    internal StrictModeFirewall(Action<VrrpFirewallState> apply, ILogger log)
    {
        _apply = apply;
        _log = log;
    }

    /// <summary>The firewall of the VRRP host that uses <paramref name="hostRtnl"/>.</summary>
    public static StrictModeFirewall For(RouteNetlink hostRtnl, NetworkNamespace? ns, ILogger log) =>
        s_hosts.GetValue(hostRtnl, _ => new StrictModeFirewall(ns, log));

    /// <summary>Failed nftables transactions.</summary>
    public long Errors { get; private set; }

    /// <summary>Registers an instance: <paramref name="filter"/> when it runs without Accept_Mode; its VMAC if any.</summary>
    public void Register(string instance, AddressFamily family, bool filter, VrrpVmacLink? vmac)
    {
        _order.Remove(instance);
        _members[instance] = new Member(family, filter, vmac, []);
        _order.Add(instance);
        Apply();
    }

    /// <summary>MASTER without Accept_Mode: drop traffic to and from these VIPs (before they are added).</summary>
    public void Block(string instance, IEnumerable<IPAddress> vips)
    {
        if (_members.TryGetValue(instance, out var member) && member.Filter)
        {
            LogRule(_log, instance, "setting");
            _members[instance] = member with { Blocked = [.. vips] };
            Apply();
        }
    }

    /// <summary>Left MASTER: the VIPs are gone, so is their drop rule.</summary>
    public void Unblock(string instance)
    {
        if (_members.TryGetValue(instance, out var member) && member.Filter)
        {
            LogRule(_log, instance, "removing");
            _members[instance] = member with { Blocked = [] };
            Apply();
        }
    }

    public void Unregister(string instance)
    {
        if (_members.Remove(instance))
        {
            _order.Remove(instance);
            Apply();
        }
    }

    /// <summary>The state each family's table should have now.</summary>
    internal VrrpFirewallState Desired(AddressFamily family)
    {
        var members = _order.Select(n => _members[n]).ToList();
        var vmacs = members.Where(m => m.Family == family && m.Vmac is not null).Select(m => m.Vmac!).Distinct().ToList();
        var vips = members.SelectMany(m => m.Blocked).Where(a => a.AddressFamily == family).Distinct().ToList();
        var filter = members.Any(m => m.Filter && m.Family == family) || vips.Count > 0;
        return new VrrpFirewallState(family, vmacs, filter, vips);
    }

    private void Apply()
    {
        if (_apply is not null)
        {
            _apply(Desired(AddressFamily.InterNetwork));
            _apply(Desired(AddressFamily.InterNetworkV6));
            return;
        }
        if (_unavailable)
        {
            return;
        }
        try
        {
            _nft ??= new VrrpFirewall(_namespace);
            _nft.Apply(Desired(AddressFamily.InterNetwork));
            _nft.Apply(Desired(AddressFamily.InterNetworkV6));
        }
        catch (KernelException e)
        {
            Errors++;
            if (_nft is null)
            {
                // keepalived compat: without a firewall, no_accept cannot be enforced; keepalived logs and runs on too.
                _unavailable = true;
            }
            LogFailed(_log, e.Message);
        }
    }

    private sealed record Member(AddressFamily Family, bool Filter, VrrpVmacLink? Vmac, IReadOnlyList<IPAddress> Blocked);

    [LoggerMessage(EventId = 4631, Level = LogLevel.Information, Message = "({Name}) {Action} firewall drop rule")]
    private static partial void LogRule(ILogger logger, string name, string action);

    [LoggerMessage(EventId = 4632, Level = LogLevel.Error, Message = "VRRP firewall (nftables): {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
