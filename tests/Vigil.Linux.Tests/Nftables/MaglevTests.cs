using Vigil.Linux.Nftables;

namespace Vigil.Linux.Tests.Nftables;

public class MaglevTests
{
    private static readonly string[] Names = [.. Enumerable.Range(11, 5).Select(i => $"10.77.0.{i}:80")];

    [Fact]
    public void Populate_EqualWeights_EveryBackendGetsANearEqualShare()
    {
        var table = Maglev.Populate(Names, [1, 1, 1, 1, 1], 509);

        var counts = table.GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 101, 102));
    }

    [Fact]
    public void Populate_Weights_ShareFollowsWeight()
    {
        var table = Maglev.Populate(Names[..2], [3, 1], 251);

        var first = table.Count(i => i == 0);
        Assert.InRange(first, 187, 190);
    }

    [Fact]
    public void Populate_OneBackendRemoved_MostSlotsOfOthersStay()
    {
        const int size = 509;
        var before = Maglev.Populate(Names, [1, 1, 1, 1, 1], size);
        var after = Maglev.Populate(Names[1..], [1, 1, 1, 1], size);

        var moved = Enumerable.Range(0, size).Count(s => before[s] != 0 && Names[before[s]] != Names[1..][after[s]]);
        // Consistent hashing: far fewer than the ~80% a modulo rehash would move.
        Assert.True(moved < size / 5, $"{moved} of {size} slots of surviving backends moved");
    }

    [Fact]
    public void Populate_SameInput_SameTable()
    {
        Assert.Equal(Maglev.Populate(Names, [1, 2, 1, 2, 1], 251), Maglev.Populate(Names, [1, 2, 1, 2, 1], 251));
    }

    [Fact]
    public void TableSize_HundredSlotsPerBackend()
    {
        Assert.Equal(251, Maglev.TableSize(2));
        Assert.Equal(1021, Maglev.TableSize(6));
    }
}
