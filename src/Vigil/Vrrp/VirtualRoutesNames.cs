using System.Globalization;

namespace Vigil.Vrrp;

/// <summary>
/// Routing table and protocol names as ip(8) knows them: built-ins plus /etc/iproute2/rt_tables and
/// rt_protos ("NUMBER NAME" lines, '#' comments). Numbers are taken as they are.
/// </summary>
internal sealed class IpNames
{
    private readonly Dictionary<string, uint> _tables = new(StringComparer.Ordinal)
    {
        ["unspec"] = 0,
        ["default"] = 253,
        ["main"] = 254,
        ["local"] = 255,
    };

    private readonly Dictionary<string, uint> _protocols = new(StringComparer.Ordinal)
    {
        ["unspec"] = 0,
        ["redirect"] = 1,
        ["kernel"] = 2,
        ["boot"] = 3,
        ["static"] = 4,
        ["gated"] = 8,
        ["ra"] = 9,
        ["mrt"] = 10,
        ["zebra"] = 11,
        ["bird"] = 12,
        ["dnrouted"] = 13,
        ["xorp"] = 14,
        ["ntk"] = 15,
        ["dhcp"] = 16,
        ["keepalived"] = 18,
        ["babel"] = 42,
        ["bgp"] = 186,
        ["isis"] = 187,
        ["ospf"] = 188,
        ["rip"] = 189,
        ["eigrp"] = 192,
    };

    /// <summary>Only the built-in names.</summary>
    public static IpNames BuiltIn { get; } = new();

    private static readonly Lazy<IpNames> s_system = new(FromSystem);

    /// <summary><see cref="FromSystem"/>, read once.</summary>
    public static IpNames System => s_system.Value;

    /// <summary>The built-ins plus what iproute2's files on this host add (missing files are fine).</summary>
    public static IpNames FromSystem()
    {
        var names = new IpNames();
        foreach (var dir in new[] { "/usr/share/iproute2", "/usr/lib/iproute2", "/etc/iproute2" })
        {
            names.AddTables(ReadOrEmpty(Path.Combine(dir, "rt_tables")));
            names.AddProtocols(ReadOrEmpty(Path.Combine(dir, "rt_protos")));
        }
        return names;
    }

    public void AddTables(string text) => Add(_tables, text);

    public void AddProtocols(string text) => Add(_protocols, text);

    public bool TryTable(string name, out uint table) => TryNumber(name, out table) || _tables.TryGetValue(name, out table);

    public bool TryProtocol(string name, out byte protocol)
    {
        var ok = (TryNumber(name, out var value) || _protocols.TryGetValue(name, out value)) && value <= byte.MaxValue;
        protocol = ok ? (byte)value : (byte)0;
        return ok;
    }

    /// <summary>Decimal or 0x-hex.</summary>
    public static bool TryNumber(string text, out uint value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static void Add(Dictionary<string, uint> into, string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#', 2)[0];
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && TryNumber(words[0], out var number))
            {
                into[words[1]] = number;
            }
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
