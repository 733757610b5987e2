using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Vigil.Linux.Nftables;

/// <summary>A VMAC and the interface it sits on (use_vmac).</summary>
public sealed record VrrpVmacLink(string Vmac, string Parent);

/// <summary>
/// What one family's "keepalived" table must hold: the VMACs (their IGMP/MLD reports are duplicated to the parent, and
/// IPv6 router solicitations from them dropped) and, when an instance runs with no_accept (vrrp_strict implies it), the
/// set of VIPs held as MASTER, to and from which the host takes no traffic [RFC 5798 §6.1 Accept_Mode].
/// </summary>
public sealed record VrrpFirewallState(AddressFamily Family, IReadOnlyList<VrrpVmacLink> Vmacs, bool Filter, IReadOnlyList<IPAddress> Vips)
{
    /// <summary>Nothing to install: the table is deleted.</summary>
    public bool IsEmpty => Vmacs.Count == 0 && !Filter;

    public bool SameAs(VrrpFirewallState other) =>
        other.Family == Family && other.Filter == Filter && other.Vmacs.SequenceEqual(Vmacs) && other.Vips.SequenceEqual(Vips);
}

/// <summary>
/// libnftables JSON for keepalived's own table, as keepalived 2.2.7 builds it with nftables (observed with `nft list
/// ruleset`): table ip|ip6 keepalived, filter chains "in" and "out" at priority -1. Pure.
/// </summary>
public static class VrrpNftRuleset
{
    public const string Table = "keepalived";

    /// <summary>NF_IP_PRI_FILTER - 1: just before an admin's filter chains, as keepalived.</summary>
    private const int Priority = -1;

    /// <summary>One transaction that replaces the family's table with <paramref name="state"/> (or deletes it when empty).</summary>
    public static string Build(VrrpFirewallState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var family = Family(state.Family);
        var v6 = state.Family == AddressFamily.InterNetworkV6;
        var ip = v6 ? "ip6" : "ip";
        var table = $"{{\"family\":\"{family}\",\"name\":\"{Table}\"}}";
        // "add" first so that deleting a table that is not there is not an error; all of it is one transaction.
        var commands = new List<string> { $"{{\"add\":{{\"table\":{table}}}}}", $"{{\"delete\":{{\"table\":{table}}}}}" };
        if (state.IsEmpty)
        {
            return Document(commands);
        }
        commands.Add($"{{\"add\":{{\"table\":{table}}}}}");
        void Add(string kind, string name, string rest) =>
            commands.Add($"{{\"add\":{{\"{kind}\":{{\"family\":\"{family}\",\"table\":\"{Table}\",\"name\":\"{name}\"{rest}}}}}}}");
        void Rule(string chain, params string[] expr) =>
            commands.Add($"{{\"add\":{{\"rule\":{{\"family\":\"{family}\",\"table\":\"{Table}\",\"chain\":\"{chain}\",\"expr\":[{string.Join(',', expr)}]}}}}}}");
        static string Match(string left, string right) => $"{{\"match\":{{\"op\":\"==\",\"left\":{left},\"right\":{right}}}}}";
        static string Payload(string protocol, string field) => $"{{\"payload\":{{\"protocol\":\"{protocol}\",\"field\":\"{field}\"}}}}";
        const string Drop = "{\"drop\":null}";
        const string Accept = "{\"accept\":null}";
        const string OifKind = "{\"meta\":{\"key\":\"oifkind\"}}";
        const string Oif = "{\"meta\":{\"key\":\"oif\"}}";
        const string LinkLocal = "{\"prefix\":{\"addr\":\"fe80::\",\"len\":10}}";

        if (state.Vmacs.Count > 0)
        {
            var pairs = string.Join(',', state.Vmacs.Select(v => $"[{S(v.Vmac)},{S(v.Parent)}]"));
            Add("map", "vmac_map", $",\"type\":\"iface_index\",\"map\":\"iface_index\",\"elem\":[{pairs}]");
            if (v6)
            {
                Add("set", "vmac_set", $",\"type\":\"iface_index\",\"elem\":[{string.Join(',', state.Vmacs.Select(v => S(v.Vmac)))}]");
            }
        }
        if (state.Filter)
        {
            var vips = state.Vips.Count > 0 ? $",\"elem\":[{string.Join(',', state.Vips.Select(a => S(a.ToString())))}]" : "";
            Add("set", "vips", $",\"type\":\"{(v6 ? "ipv6_addr" : "ipv4_addr")}\"{vips}");
            if (v6)
            {
                Add("set", "neighbor-discovery", ",\"type\":\"icmpv6_type\",\"flags\":[\"constant\"],\"elem\":[\"nd-neighbor-solicit\",\"nd-neighbor-advert\"]");
            }
        }
        var hook = $",\"type\":\"filter\",\"prio\":{Priority},\"policy\":\"accept\"";
        Add("chain", "out", ",\"hook\":\"output\"" + hook);
        if (state.Filter)
        {
            Add("chain", "in", ",\"hook\":\"input\"" + hook);
            if (v6)
            {
                Add("chain", "in_link_local", "");
                Add("chain", "out_link_local", "");
            }
        }
        if (state.Vmacs.Count > 0)
        {
            // A macvlan in private mode does not pass its own multicast reports to the parent's segment the way the
            // parent's would; keepalived duplicates them out of the parent and drops the original.
            var dup = $"{{\"dup\":{{\"addr\":{Payload(ip, "daddr")},\"dev\":{{\"map\":{{\"key\":{Oif},\"data\":\"@vmac_map\"}}}}}}}}";
            if (v6)
            {
                Rule("out", Match(Payload("icmpv6", "type"), "\"mld2-listener-report\""), Match(OifKind, "\"macvlan\""), dup, Drop);
                Rule("out", Match(Payload("icmpv6", "type"), "\"nd-router-solicit\""), Match(OifKind, "\"macvlan\""), Match(Oif, "\"@vmac_set\""), Drop);
            }
            else
            {
                Rule("out", Match(Payload("ip", "protocol"), "\"igmp\""), Match(OifKind, "\"macvlan\""), dup, Drop);
            }
        }
        if (state.Filter)
        {
            if (v6)
            {
                var nd = Match(Payload("icmpv6", "type"), "\"@neighbor-discovery\"");
                Rule("out", nd, Accept);
                Rule("out", Match(Payload("ip6", "saddr"), LinkLocal), "{\"goto\":{\"target\":\"out_link_local\"}}");
                Rule("out", Match(Payload("ip6", "saddr"), "\"@vips\""), Drop);
                Rule("in", nd, Accept);
                Rule("in", Match(Payload("ip6", "daddr"), LinkLocal), "{\"goto\":{\"target\":\"in_link_local\"}}");
                Rule("in", Match(Payload("ip6", "daddr"), "\"@vips\""), Drop);
            }
            else
            {
                Rule("out", Match(Payload("ip", "saddr"), "\"@vips\""), Drop);
                Rule("in", Match(Payload("ip", "daddr"), "\"@vips\""), Drop);
            }
        }
        return Document(commands);
    }

    /// <summary>
    /// Only the VIP set's elements change (a MASTER transition): flush and refill it in one transaction, which keeps the
    /// table where it is in the ruleset, as keepalived's element updates do.
    /// </summary>
    public static string UpdateVips(VrrpFirewallState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var set = $"{{\"family\":\"{Family(state.Family)}\",\"table\":\"{Table}\",\"name\":\"vips\"";
        var commands = new List<string> { $"{{\"flush\":{{\"set\":{set}}}}}}}" };
        if (state.Vips.Count > 0)
        {
            commands.Add($"{{\"add\":{{\"element\":{set},\"elem\":[{string.Join(',', state.Vips.Select(a => S(a.ToString())))}]}}}}}}");
        }
        return Document(commands);
    }

    /// <summary>Lists the family's table (empty output or an error when it does not exist).</summary>
    public static string List(AddressFamily family) =>
        Document([$"{{\"list\":{{\"table\":{{\"family\":\"{Family(family)}\",\"name\":\"{Table}\"}}}}}}"]);

    private static string Family(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "ip6" : "ip";

    private static string S(string text) => "\"" + JsonEncodedText.Encode(text).ToString() + "\"";

    private static string Document(IEnumerable<string> commands)
    {
        var sb = new StringBuilder("{\"nftables\":[");
        sb.AppendJoin(',', commands);
        sb.Append("]}");
        return sb.ToString();
    }
}
