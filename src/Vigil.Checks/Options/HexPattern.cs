using System.Globalization;

namespace Vigil.Checks.Options;

/// <summary>
/// keepalived's free-format hex strings (payload, require_reply): groups split on white space are read
/// two digits at a time, and an odd last digit is a byte of its own ("Ab12f 3" is AB 12 0F 03).
/// In patterns an X nibble matches anything.
/// </summary>
public sealed class HexPattern
{
    private readonly byte[] _value;
    private readonly byte[] _mask;

    private HexPattern(byte[] value, byte[] mask)
    {
        _value = value;
        _mask = mask;
    }

    public int Length => _value.Length;

    /// <summary>The bytes with wildcard nibbles as zero (what a payload sends).</summary>
    public ReadOnlySpan<byte> Bytes => _value;

    /// <summary>Parses the text; X nibbles are allowed only when <paramref name="allowWildcards"/>.</summary>
    public static bool TryParse(string text, bool allowWildcards, out HexPattern? pattern)
    {
        ArgumentNullException.ThrowIfNull(text);
        pattern = null;
        var value = new List<byte>();
        var mask = new List<byte>();
        foreach (var group in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            for (var i = 0; i < group.Length; i += 2)
            {
                var pair = group.Length - i >= 2 ? group.AsSpan(i, 2) : group.AsSpan(i, 1);
                byte v = 0, m = 0;
                foreach (var c in pair)
                {
                    if (!TryNibble(c, allowWildcards, out var nv, out var nm)) return false;
                    v = (byte)((v << 4) | nv);
                    m = (byte)((m << 4) | nm);
                }
                value.Add(v);
                mask.Add(m);
            }
        }
        pattern = new HexPattern([.. value], [.. mask]);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> (for callers holding validated text).</summary>
    public static HexPattern Parse(string text, bool allowWildcards = true) =>
        TryParse(text, allowWildcards, out var p) ? p! : throw new FormatException($"not a hex string: '{text}'");

    /// <summary>keepalived compat: the reply must match up to the shorter of the reply and the pattern.</summary>
    public bool Matches(ReadOnlySpan<byte> reply)
    {
        var n = Math.Min(reply.Length, _value.Length);
        for (var i = 0; i < n; i++)
        {
            if ((reply[i] & _mask[i]) != (_value[i] & _mask[i])) return false;
        }
        return true;
    }

    private static bool TryNibble(char c, bool allowWildcards, out byte value, out byte mask)
    {
        value = 0;
        mask = 0xF;
        if (c is 'x' or 'X')
        {
            mask = 0;
            return allowWildcards;
        }
        if (!byte.TryParse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)) return false;
        return true;
    }
}
