using System.Globalization;
using System.Net.NetworkInformation;
using Vigil.Config;

namespace Vigil.Vrrp;

/// <summary>use_vmac names, MAC addresses and the sysctls keepalived 2.2.7 sets (observed in a lab namespace). Pure.</summary>
internal static class VmacNaming
{
    /// <summary>keepalived's default vmac_prefix.</summary>
    public const string DefaultPrefix = "vrrp";

    /// <summary>
    /// 00:00:5e:00:01:VRID for IPv4, 00:00:5e:00:02:VRID for IPv6 [RFC 5798 §7.3]; a configured MAC of five octets
    /// gets the VRID as the sixth (keepalived.conf(5)).
    /// </summary>
    public static PhysicalAddress Mac(int vrid, bool ipv6, string? configured)
    {
        if (configured is not null)
        {
            var parts = configured.Split(':');
            if (parts.Length is 5 or 6 && parts.All(p => p.Length is 1 or 2 && byte.TryParse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)))
            {
                var bytes = parts.Select(p => byte.Parse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToList();
                if (bytes.Count == 5)
                {
                    bytes.Add((byte)vrid);
                }
                return new PhysicalAddress([.. bytes]);
            }
            throw new ArgumentException($"use_vmac MAC address '{configured}' is not 5 or 6 hex octets", nameof(configured));
        }
        return new PhysicalAddress([0x00, 0x00, 0x5e, 0x00, ipv6 ? (byte)0x02 : (byte)0x01, (byte)vrid]);
    }

    /// <summary>vmac_prefix from global_defs, else "vrrp".</summary>
    public static string Prefix(GlobalDefsConfig global) =>
        global.Other.FirstOrDefault(s => s.Keyword == "vmac_prefix" && s.Args.Count > 0)?.Args[0] ?? DefaultPrefix;

    /// <summary>
    /// The names to try, in order: the configured one alone, else PREFIX.VRID, PREFIX1.VRID, PREFIX2.VRID...
    /// keepalived compat: a second instance with the same VRID (the other family) got "vrrp1.52" in 2.2.7.
    /// </summary>
    public static IEnumerable<string> Candidates(VrrpInstanceConfig instance, GlobalDefsConfig global)
    {
        if (instance.UseVmac?.Name is { Length: > 0 } name)
        {
            yield return name;
            yield break;
        }
        var prefix = Prefix(global);
        yield return $"{prefix}.{instance.VirtualRouterId}";
        for (var n = 1; n < 100; n++)
        {
            yield return $"{prefix}{n}.{instance.VirtualRouterId}";
        }
    }

    /// <summary>The /proc/sys settings for a new VMAC, as (key, value), in the order they are written.</summary>
    /// <param name="vmac">The macvlan's name.</param>
    /// <param name="parent">The instance's interface.</param>
    /// <param name="ipv6">The instance's family.</param>
    public static IReadOnlyList<(string Key, string Value)> Settings(string vmac, string parent, bool ipv6)
    {
        // No IPv6 link-local of its own: the kernel must not generate one (keepalived shows "addrgenmode none").
        var list = new List<(string, string)> { ($"net/ipv6/conf/{vmac}/addr_gen_mode", "1") };
        if (!ipv6)
        {
            // keepalived compat: the parent answers ARP only for its own addresses and the VMAC answers for the VIPs
            // (arp_ignore 1, arp_filter 1 on the parent; arp_ignore 1 on the VMAC), the VMAC takes packets from the
            // host's own addresses (accept_local) without reverse-path filtering, and carries no IPv6.
            list.Add(($"net/ipv4/conf/{parent}/arp_ignore", "1"));
            list.Add(($"net/ipv4/conf/{parent}/arp_filter", "1"));
            list.Add(($"net/ipv4/conf/{vmac}/arp_ignore", "1"));
            list.Add(($"net/ipv4/conf/{vmac}/accept_local", "1"));
            list.Add(($"net/ipv4/conf/{vmac}/rp_filter", "0"));
            list.Add(($"net/ipv4/conf/{vmac}/promote_secondaries", "1"));
            list.Add(($"net/ipv6/conf/{vmac}/disable_ipv6", "1"));
        }
        return list;
    }

    /// <summary>
    /// keepalived compat (keepalived.conf(5), use_vmac): when net.ipv4.conf.all.rp_filter is set, every interface and
    /// "default" get the greater of their value and all's, then all becomes 0. Returns the writes; <paramref name="restore"/>
    /// gets the writes that undo them on stop.
    /// </summary>
    /// <param name="current">rp_filter of "all", "default" and each interface, as read.</param>
    public static IReadOnlyList<(string Key, string Value)> RpFilterChanges(IReadOnlyDictionary<string, int> current, out IReadOnlyList<(string Key, string Value)> restore)
    {
        var writes = new List<(string, string)>();
        var undo = new List<(string, string)>();
        if (!current.TryGetValue("all", out var all) || all == 0)
        {
            restore = undo;
            return writes;
        }
        foreach (var (name, value) in current.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name != "all" && value < all)
            {
                writes.Add(($"net/ipv4/conf/{name}/rp_filter", all.ToString(CultureInfo.InvariantCulture)));
                undo.Add(($"net/ipv4/conf/{name}/rp_filter", value.ToString(CultureInfo.InvariantCulture)));
            }
        }
        writes.Add(("net/ipv4/conf/all/rp_filter", "0"));
        undo.Insert(0, ("net/ipv4/conf/all/rp_filter", all.ToString(CultureInfo.InvariantCulture)));
        restore = undo;
        return writes;
    }
}
