using System.Globalization;
using System.Net;
using Vigil.Config.Syntax;

namespace Vigil.Config.Binding;

/// <summary>Binds one keyword of a block: takes the statement and the record so far, returns the new record.</summary>
internal delegate T Handler<T>(BindContext ctx, ConfigNode node, T current);

/// <summary>The keywords a block knows and how each binds: the single source of what is known.</summary>
internal sealed class KeywordMap<T>
{
    private readonly Dictionary<string, Handler<T>> _handlers = new(StringComparer.Ordinal);

    public KeywordMap(string block) => Block = block;

    public string Block { get; }

    public IEnumerable<string> Keywords => _handlers.Keys;

    public bool Contains(string keyword) => _handlers.ContainsKey(keyword);

    public KeywordMap<T> Add(string keyword, Handler<T> handler)
    {
        _handlers.Add(keyword, handler);
        return this;
    }

    public KeywordMap<T> Add(IEnumerable<string> keywords, Handler<T> handler)
    {
        foreach (var keyword in keywords)
        {
            _handlers.Add(keyword, handler);
        }
        return this;
    }

    /// <summary>Binds every child in order; unknown keywords are warnings and binding goes on.</summary>
    public T Bind(BindContext ctx, List<ConfigNode>? children, T initial, out HashSet<string> seen)
    {
        seen = new HashSet<string>(StringComparer.Ordinal);
        var current = initial;
        if (children is null)
        {
            return current;
        }
        foreach (var child in children)
        {
            if (!_handlers.TryGetValue(child.Keyword, out var handler))
            {
                ctx.Diagnostics.Warning(child.At, $"Unknown keyword '{child.Keyword}' in {Block}");
                continue;
            }
            seen.Add(child.Keyword);
            try
            {
                current = handler(ctx, child, current);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
            {
                ctx.Diagnostics.Error(child.At, $"invalid '{child.Keyword}': {e.Message}");
            }
        }
        return current;
    }
}

/// <summary>Shared state of one binding run: diagnostics, options, and value parsers that report
/// in keepalived's words instead of throwing.</summary>
internal sealed class BindContext(ConfigLoadOptions options, DiagnosticBag diagnostics)
{
    public ConfigLoadOptions Options { get; } = options;

    public DiagnosticBag Diagnostics { get; } = diagnostics;

    /// <summary>Where each model object was written (reference identity; records compare by value).</summary>
    public Dictionary<object, SourceLocation> Locations { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Names of vrrp scripts/notify scripts found to exist, for the script security check.</summary>
    public List<(string Script, SourceLocation At)> ScriptsInUse { get; } = [];

    public GlobalDefsConfig GlobalDefs { get; set; } = new();

    /// <summary>keepalived compat: rules without a preference get 16384, then 16383, ...</summary>
    public int NextRulePreference { get; set; } = 16384;

    public T Locate<T>(T item, SourceLocation at)
        where T : class
    {
        Locations[item] = at;
        return item;
    }

    public SourceLocation LocationOf(object item) =>
        Locations.TryGetValue(item, out var at) ? at : default;

    public void Error(ConfigNode node, string message) => Diagnostics.Error(node.At, message);

    public void Warning(ConfigNode node, string message) => Diagnostics.Warning(node.At, message);

    public string? Arg(ConfigNode node, int index = 0)
    {
        if (index < node.Args.Length)
        {
            return node.Args[index];
        }
        Error(node, $"'{node.Keyword}' needs a value");
        return null;
    }

    public string? Rest(ConfigNode node, int from = 0) =>
        node.Args.Length > from ? string.Join(' ', node.Args.Skip(from)) : Arg(node, from);

    public bool Int(ConfigNode node, int index, long min, long max, out int value)
    {
        value = 0;
        var text = Arg(node, index);
        if (text is null)
        {
            return false;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            Error(node, $"invalid number '{text}' for '{node.Keyword}'");
            return false;
        }
        if (parsed < min || parsed > max)
        {
            Error(node, $"number '{text}' outside range [{min}, {max}] for '{node.Keyword}'");
            return false;
        }
        value = (int)parsed;
        return true;
    }

    public int IntOr(ConfigNode node, int index, long min, long max, int fallback) =>
        Int(node, index, min, max, out var value) ? value : fallback;

    /// <summary>A keepalived TIMER: seconds, with microsecond resolution.</summary>
    public bool Timer(ConfigNode node, int index, double minSeconds, double maxSeconds, out TimeSpan value)
    {
        value = default;
        var text = Arg(node, index);
        if (text is null)
        {
            return false;
        }
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || double.IsNaN(seconds))
        {
            Error(node, $"invalid time '{text}' for '{node.Keyword}'");
            return false;
        }
        if (seconds < minSeconds || seconds > maxSeconds)
        {
            Error(node, $"number '{text}' outside range [{minSeconds.ToString("0.######", CultureInfo.InvariantCulture)}, {maxSeconds.ToString("0.######", CultureInfo.InvariantCulture)}] for '{node.Keyword}'");
            return false;
        }
        value = TimeSpan.FromTicks((long)Math.Round(seconds * 1_000_000) * 10);
        return true;
    }

    public TimeSpan TimerOr(ConfigNode node, int index, double min, double max, TimeSpan fallback) =>
        Timer(node, index, min, max, out var value) ? value : fallback;

    /// <summary>A bare keyword means true; otherwise on/off, true/false, yes/no.</summary>
    public bool Bool(ConfigNode node, int index = 0)
    {
        if (node.Args.Length <= index)
        {
            return true;
        }
        switch (node.Args[index].ToLowerInvariant())
        {
            case "on" or "true" or "yes":
                return true;
            case "off" or "false" or "no":
                return false;
            default:
                Error(node, $"invalid boolean '{node.Args[index]}' for '{node.Keyword}'");
                return true;
        }
    }

    public IPAddress? Ip(ConfigNode node, int index = 0)
    {
        var text = Arg(node, index);
        if (text is null)
        {
            return null;
        }
        var parsed = ParseIp(text);
        if (parsed is null)
        {
            Error(node, $"invalid IP address '{text}' for '{node.Keyword}'");
        }
        return parsed;
    }

    /// <summary>Strict dotted-quad IPv4 (as inet_pton) or IPv6; "10.1" and "1.2.3.300" are rejected.</summary>
    public static IPAddress? ParseIp(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            var percent = text.IndexOf('%', StringComparison.Ordinal);
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                && (percent < 0 || percent > 0) ? v6 : null;
        }
        // Strict dotted quad: four decimal parts of 1-3 digits, each at most 255.
        uint value = 0;
        int part = 0, digits = 0, parts = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || ++parts > 3)
                {
                    return null;
                }
                value = (value << 8) | (uint)part;
                part = digits = 0;
            }
            else if (char.IsAsciiDigit(c) && digits < 3)
            {
                part = part * 10 + (c - '0');
                digits++;
                if (part > 255)
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
        }
        if (digits == 0 || parts != 3)
        {
            return null;
        }
        value = (value << 8) | (uint)part;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }

    /// <summary>IP[/len]; the length defaults to the full address.</summary>
    public static bool TryParsePrefix(string text, out IPAddress address, out int length)
    {
        address = IPAddress.None;
        length = 0;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var ip = ParseIp(slash < 0 ? text : text[..slash]);
        if (ip is null)
        {
            return false;
        }
        var max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        length = max;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > max))
        {
            return false;
        }
        address = ip;
        return true;
    }

    /// <summary>A network from IP[/len], host bits cleared as the kernel does for routes and rules.</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        if (text is "default" or "all")
        {
            network = new IPNetwork(IPAddress.Any, 0);
            return true;
        }
        if (!TryParsePrefix(text, out var ip, out var length))
        {
            return false;
        }
        var bytes = ip.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        network = new IPNetwork(new IPAddress(bytes), length);
        return true;
    }

    public int? Port(ConfigNode node, int index)
    {
        if (index >= node.Args.Length)
        {
            return null;
        }
        return Int(node, index, 0, 65535, out var port) ? port : null;
    }

    /// <summary>weight N [reverse|noreverse] starting at index.</summary>
    public (int? Weight, bool Reverse) Weight(ConfigNode node, int index, int limit)
    {
        int? weight = null;
        var reverse = false;
        for (var i = index; i < node.Args.Length; i++)
        {
            switch (node.Args[i])
            {
                case "weight" when i + 1 < node.Args.Length:
                    if (Int(node, i + 1, -limit, limit, out var w))
                    {
                        weight = w;
                    }
                    i++;
                    break;
                case "reverse":
                    reverse = true;
                    break;
                case "noreverse":
                    reverse = false;
                    break;
                default:
                    Error(node, $"unknown option '{node.Args[i]}' for '{node.Keyword}'");
                    break;
            }
        }
        return (weight, reverse);
    }
}
