namespace Vigil.Linux.Nftables;

/// <summary>
/// Maglev consistent hashing (Eisenbud et al., NSDI 2016, §3.4): each backend walks its own permutation
/// of the table and takes free slots in turn, weighted by taking <c>weight / gcd</c> slots per round.
/// Permutations depend only on the backend's name, so the table is the same on every restart and
/// removing one backend moves little more than its own share.
/// </summary>
public static class Maglev
{
    /// <summary>Prime table sizes; the table is at least 100 slots per backend, as the paper advises.</summary>
    private static readonly int[] Sizes = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521];

    public static int TableSize(int backends) => Sizes.FirstOrDefault(s => s >= 100 * backends, Sizes[^1]);

    /// <summary>Returns, for each slot, the index of the backend in <paramref name="names"/> that owns it.</summary>
    public static int[] Populate(IReadOnlyList<string> names, IReadOnlyList<int> weights, int size)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(weights);
        if (names.Count != weights.Count) throw new ArgumentException("one weight per name", nameof(weights));
        if (names.Count == 0 || weights.All(w => w <= 0)) throw new ArgumentException("at least one backend with a positive weight", nameof(weights));
        var n = names.Count;
        var offset = new long[n];
        var skip = new long[n];
        var next = new long[n];
        var g = weights.Where(w => w > 0).Aggregate(0, Gcd);
        for (var i = 0; i < n; i++)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(names[i]);
            offset[i] = (long)(Fnv1a(bytes, 0xcbf29ce484222325UL) % (ulong)size);
            skip[i] = (long)(Fnv1a(bytes, 0x84222325cbf29ce4UL) % (ulong)(size - 1)) + 1;
        }
        var table = new int[size];
        Array.Fill(table, -1);
        var filled = 0;
        while (filled < size)
        {
            for (var i = 0; i < n && filled < size; i++)
            {
                for (var turn = 0; turn < weights[i] / Math.Max(g, 1) && filled < size; turn++)
                {
                    long slot;
                    do
                    {
                        slot = (offset[i] + (next[i] * skip[i])) % size;
                        next[i]++;
                    }
                    while (table[slot] >= 0);
                    table[slot] = i;
                    filled++;
                }
            }
        }
        return table;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static ulong Fnv1a(ReadOnlySpan<byte> data, ulong basis)
    {
        var hash = basis;
        foreach (var b in data)
        {
            hash ^= b;
            hash *= 0x100000001b3UL;
        }
        return hash;
    }
}
