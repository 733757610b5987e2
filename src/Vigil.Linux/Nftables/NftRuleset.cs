using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Vigil.Linux.Nftables;

/// <summary>
/// Builds libnftables JSON transactions for vigil's table (libnftables-json(5)). Pure: services in, JSON out.
/// Shape: an inet table with nat chains on prerouting and output that jump, per service, to a chain
/// holding one dnat rule whose target comes from an anonymous map keyed by numgen or jhash. NAT is
/// decided on a connection's first packet and kept by conntrack, so replacing a rule never moves
/// established connections.
/// </summary>
/// <remarks>
/// Anonymous maps rather than named ones: nft 1.0.6 crashes (SIGSEGV) on JSON input that dnats through a
/// named map with concatenated address . port data, and JSON input cannot declare `typeof` maps.
/// </remarks>
public static class NftRuleset
{
    public const string DefaultTable = "vigil";
    public const string PreroutingChain = "prerouting";
    public const string OutputChain = "output";

    /// <summary>NF_IP_PRI_NAT_DST: where dnat belongs.</summary>
    private const int DstNatPriority = -100;

    /// <summary>
    /// A transaction that brings the table to exactly <paramref name="services"/>: base chains and every
    /// service chain are (re)filled; chains in <paramref name="existingChains"/> that are no longer wanted
    /// are deleted. Idempotent: running it twice leaves the same ruleset.
    /// </summary>
    public static string Full(string table, IReadOnlyList<NftService> services, IEnumerable<string> existingChains)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(existingChains);
        return Document(w =>
        {
            Command(w, "add", "table", () => TableRef(w, table));
            BaseChain(w, table, PreroutingChain, "prerouting");
            BaseChain(w, table, OutputChain, "output");
            Command(w, "flush", "chain", () => ChainRef(w, table, PreroutingChain));
            Command(w, "flush", "chain", () => ChainRef(w, table, OutputChain));
            foreach (var s in services) ServiceChain(w, table, s);
            foreach (var s in services)
            {
                Dispatch(w, table, PreroutingChain, s);
                Dispatch(w, table, OutputChain, s);
            }
            var wanted = services.Select(s => s.ChainName).Append(PreroutingChain).Append(OutputChain).ToHashSet(StringComparer.Ordinal);
            foreach (var stale in existingChains.Where(c => !wanted.Contains(c)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                Command(w, "flush", "chain", () => ChainRef(w, table, stale));
                Command(w, "delete", "chain", () => ChainRef(w, table, stale));
            }
        });
    }

    /// <summary>A transaction that only refills the given services' chains (their dispatch rules stay).</summary>
    public static string Update(string table, IEnumerable<NftService> services) =>
        Document(w =>
        {
            foreach (var s in services) ServiceChain(w, table, s);
        });

    /// <summary>Deletes vigil's whole table (stop without -I).</summary>
    public static string DeleteTable(string table) =>
        Document(w =>
        {
            // "add" first so that deleting a table that is not there is not an error.
            Command(w, "add", "table", () => TableRef(w, table));
            Command(w, "delete", "table", () => TableRef(w, table));
        });

    /// <summary>Lists vigil's table.</summary>
    public static string ListTable(string table) => Document(w => Command(w, "list", "table", () => TableRef(w, table)));

    /// <summary>Chain names in a `list table` JSON answer.</summary>
    public static IReadOnlyList<string> ChainNames(string listing)
    {
        if (string.IsNullOrWhiteSpace(listing)) return [];
        using var doc = JsonDocument.Parse(listing);
        var names = new List<string>();
        if (!doc.RootElement.TryGetProperty("nftables", out var items)) return names;
        foreach (var item in items.EnumerateArray())
        {
            if (item.TryGetProperty("chain", out var chain) && chain.TryGetProperty("name", out var name) && name.GetString() is { } n)
                names.Add(n);
        }
        return names;
    }

    /// <summary>The (slot range, backend) pairs of a service's map, and the modulus of its key.</summary>
    public static (int Modulus, IReadOnlyList<(int Low, int High, NftBackend Backend)> Slots) Slots(NftService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var live = service.Backends.Where(b => b.Weight > 0).ToList();
        if (live.Count == 0) return (0, []);
        switch (service.Scheduler)
        {
            case NftScheduler.RoundRobin:
                return (live.Count, [.. live.Select((b, i) => (i, i, b))]);
            case NftScheduler.WeightedFailover:
                // IPVS fo: the first backend with the highest weight.
                var best = live.First(b => b.Weight == live.Max(x => x.Weight));
                return (1, [(0, 0, best)]);
            case NftScheduler.Maglev:
                var size = Maglev.TableSize(live.Count);
                var table = Maglev.Populate([.. live.Select(b => $"{b.Address}:{b.Port}")], [.. live.Select(b => b.Weight)], size);
                var runs = new List<(int, int, NftBackend)>();
                for (var i = 0; i < size;)
                {
                    var j = i;
                    while (j + 1 < size && table[j + 1] == table[i]) j++;
                    runs.Add((i, j, live[table[i]]));
                    i = j + 1;
                }
                return (size, runs);
            default:
                // wrr, sh, dh: one interval per backend, as wide as its weight over the gcd.
                var g = live.Aggregate(0, (a, b) => Gcd(a, b.Weight));
                var slots = new List<(int, int, NftBackend)>();
                var next = 0;
                foreach (var b in live)
                {
                    var width = b.Weight / g;
                    slots.Add((next, next + width - 1, b));
                    next += width;
                }
                return (next, slots);
        }
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static string Document(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("nftables");
            w.WriteStartObject();
            w.WriteStartObject("metainfo");
            w.WriteNumber("json_schema_version", 1);
            w.WriteEndObject();
            w.WriteEndObject();
            body(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Command(Utf8JsonWriter w, string verb, string kind, Action body)
    {
        w.WriteStartObject();
        w.WriteStartObject(verb);
        w.WriteStartObject(kind);
        body();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void TableRef(Utf8JsonWriter w, string table)
    {
        w.WriteString("family", "inet");
        w.WriteString("name", table);
    }

    private static void ChainRef(Utf8JsonWriter w, string table, string chain)
    {
        w.WriteString("family", "inet");
        w.WriteString("table", table);
        w.WriteString("name", chain);
    }

    private static void BaseChain(Utf8JsonWriter w, string table, string name, string hook) =>
        Command(w, "add", "chain", () =>
        {
            ChainRef(w, table, name);
            w.WriteString("type", "nat");
            w.WriteString("hook", hook);
            w.WriteNumber("prio", DstNatPriority);
            w.WriteString("policy", "accept");
        });

    private static void ServiceChain(Utf8JsonWriter w, string table, NftService s)
    {
        Command(w, "add", "chain", () => ChainRef(w, table, s.ChainName));
        Command(w, "flush", "chain", () => ChainRef(w, table, s.ChainName));
        var (modulus, slots) = Slots(s);
        // No live backend: an empty chain, so packets reach the local stack as IPVS leaves them.
        if (slots.Count == 0) return;
        Rule(w, table, s.ChainName, () =>
        {
            if (s.Fwmark == 0) Match(w, () => Meta(w, "l4proto"), () => w.WriteStringValue(Proto(s.Protocol)));
            w.WriteStartObject();
            w.WriteStartObject("dnat");
            w.WriteString("family", Family(s.Family));
            if (slots.Count == 1)
            {
                w.WriteString("addr", slots[0].Backend.Address.ToString());
                if (s.Fwmark == 0) w.WriteNumber("port", Port(s, slots[0].Backend));
            }
            else
            {
                w.WriteStartObject("addr");
                w.WriteStartObject("map");
                w.WritePropertyName("key");
                Key(w, s, modulus);
                w.WriteStartObject("data");
                w.WriteStartArray("set");
                foreach (var (low, high, backend) in slots)
                {
                    w.WriteStartArray();
                    if (low == high) w.WriteNumberValue(low);
                    else
                    {
                        w.WriteStartObject();
                        w.WriteStartArray("range");
                        w.WriteNumberValue(low);
                        w.WriteNumberValue(high);
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    if (s.Fwmark == 0)
                    {
                        w.WriteStartObject();
                        w.WriteStartArray("concat");
                        w.WriteStringValue(backend.Address.ToString());
                        w.WriteNumberValue(Port(s, backend));
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    else w.WriteStringValue(backend.Address.ToString());
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void Key(Utf8JsonWriter w, NftService s, int modulus)
    {
        w.WriteStartObject();
        if (s.Scheduler is NftScheduler.RoundRobin or NftScheduler.WeightedRoundRobin)
        {
            w.WriteStartObject("numgen");
            w.WriteString("mode", "inc");
            w.WriteNumber("mod", modulus);
            w.WriteNumber("offset", 0);
            w.WriteEndObject();
        }
        else
        {
            var ip = s.Family == AddressFamily.InterNetworkV6 ? "ip6" : "ip";
            var field = s.Scheduler == NftScheduler.DestinationHash ? "daddr" : "saddr";
            w.WriteStartObject("jhash");
            w.WriteNumber("mod", modulus);
            w.WritePropertyName("expr");
            if (s.HashPort && s.Scheduler != NftScheduler.DestinationHash)
            {
                w.WriteStartObject();
                w.WriteStartArray("concat");
                Payload(w, ip, field);
                Payload(w, "th", "sport");
                w.WriteEndArray();
                w.WriteEndObject();
            }
            else Payload(w, ip, field);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Dispatch(Utf8JsonWriter w, string table, string chain, NftService s) =>
        Rule(w, table, chain, () =>
        {
            if (s.Fwmark != 0)
            {
                Match(w, () => Meta(w, "nfproto"), () => w.WriteStringValue(s.Family == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4"));
                Match(w, () => Meta(w, "mark"), () => w.WriteNumberValue(s.Fwmark));
            }
            else
            {
                Match(w, () => Payload(w, s.Family == AddressFamily.InterNetworkV6 ? "ip6" : "ip", "daddr"), () => w.WriteStringValue(s.Address!.ToString()));
                Match(w, () => Payload(w, Proto(s.Protocol), "dport"), () => w.WriteNumberValue(s.Port));
            }
            w.WriteStartObject();
            w.WriteStartObject("jump");
            w.WriteString("target", s.ChainName);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static void Rule(Utf8JsonWriter w, string table, string chain, Action expressions) =>
        Command(w, "add", "rule", () =>
        {
            w.WriteString("family", "inet");
            w.WriteString("table", table);
            w.WriteString("chain", chain);
            w.WriteStartArray("expr");
            expressions();
            w.WriteEndArray();
        });

    private static void Match(Utf8JsonWriter w, Action left, Action right)
    {
        w.WriteStartObject();
        w.WriteStartObject("match");
        w.WriteString("op", "==");
        w.WritePropertyName("left");
        left();
        w.WritePropertyName("right");
        right();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Meta(Utf8JsonWriter w, string key)
    {
        w.WriteStartObject();
        w.WriteStartObject("meta");
        w.WriteString("key", key);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Payload(Utf8JsonWriter w, string protocol, string field)
    {
        w.WriteStartObject();
        w.WriteStartObject("payload");
        w.WriteString("protocol", protocol);
        w.WriteString("field", field);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static int Port(NftService s, NftBackend b) => b.Port != 0 ? b.Port : s.Port;

    private static string Family(AddressFamily f) => f == AddressFamily.InterNetworkV6 ? "ip6" : "ip";

    private static string Proto(NftProtocol p) => p switch
    {
        NftProtocol.Tcp => "tcp",
        NftProtocol.Udp => "udp",
        _ => "sctp",
    };

    internal static string Describe(IPAddress address) => address.ToString();
}
