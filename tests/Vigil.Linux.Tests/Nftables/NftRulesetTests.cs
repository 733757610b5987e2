using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Vigil.Linux.Nftables;

namespace Vigil.Linux.Tests.Nftables;

public class NftRulesetTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("10.77.0.100");

    private static NftService Web(NftScheduler scheduler, params (string Address, int Weight)[] backends) =>
        new(AddressFamily.InterNetwork, NftProtocol.Tcp, Vip, 80, 0, scheduler,
            [.. backends.Select(b => new NftBackend(IPAddress.Parse(b.Address), 8080, b.Weight))]);

    [Fact]
    public void Slots_Wrr_IntervalsProportionalToWeightOverGcd()
    {
        var (modulus, slots) = NftRuleset.Slots(Web(NftScheduler.WeightedRoundRobin, ("10.77.0.11", 6), ("10.77.0.12", 2), ("10.77.0.13", 0)));

        Assert.Equal(4, modulus);
        Assert.Equal([(0, 2, "10.77.0.11"), (3, 3, "10.77.0.12")], slots.Select(s => (s.Low, s.High, s.Backend.Address.ToString())));
    }

    [Fact]
    public void Slots_RoundRobin_OneSlotPerLiveBackendIgnoringWeight()
    {
        var (modulus, slots) = NftRuleset.Slots(Web(NftScheduler.RoundRobin, ("10.77.0.11", 5), ("10.77.0.12", 1)));

        Assert.Equal(2, modulus);
        Assert.Equal([0, 1], slots.Select(s => s.Low));
    }

    [Fact]
    public void Slots_Failover_HighestWeightOnly()
    {
        var (modulus, slots) = NftRuleset.Slots(Web(NftScheduler.WeightedFailover, ("10.77.0.11", 1), ("10.77.0.12", 9), ("10.77.0.13", 9)));

        Assert.Equal(1, modulus);
        Assert.Equal("10.77.0.12", Assert.Single(slots).Backend.Address.ToString());
    }

    [Fact]
    public void Slots_NoLiveBackend_Empty()
    {
        Assert.Empty(NftRuleset.Slots(Web(NftScheduler.WeightedRoundRobin, ("10.77.0.11", 0))).Slots);
    }

    [Fact]
    public void Full_WrrService_RuleDnatsThroughNumgenMapToAddressAndPort()
    {
        var json = NftRuleset.Full("vigil", [Web(NftScheduler.WeightedRoundRobin, ("10.77.0.11", 3), ("10.77.0.12", 1))], []);

        using var doc = JsonDocument.Parse(json);
        var commands = doc.RootElement.GetProperty("nftables").EnumerateArray().Skip(1).ToList();
        var dnatRule = commands.Single(c => c.TryGetProperty("add", out var a) && a.TryGetProperty("rule", out var r)
            && r.GetProperty("chain").GetString() == "vs4_0a4d0064_tcp_80").GetProperty("add").GetProperty("rule");
        var dnat = dnatRule.GetProperty("expr")[1].GetProperty("dnat");
        Assert.Equal("ip", dnat.GetProperty("family").GetString());
        var map = dnat.GetProperty("addr").GetProperty("map");
        Assert.Equal(4, map.GetProperty("key").GetProperty("numgen").GetProperty("mod").GetInt32());
        Assert.Equal(
            """[[{"range":[0,2]},{"concat":["10.77.0.11",8080]}],[3,{"concat":["10.77.0.12",8080]}]]""",
            map.GetProperty("data").GetProperty("set").GetRawText());
        // Base chains, their flushes and the dispatch rules are all in the one transaction.
        Assert.Equal(2, commands.Count(c => c.TryGetProperty("flush", out _) && c.GetProperty("flush").GetProperty("chain").GetProperty("name").GetString() is "prerouting" or "output"));
    }

    [Fact]
    public void Full_StaleChain_FlushedThenDeleted()
    {
        var json = NftRuleset.Full("vigil", [], ["prerouting", "output", "vs4_old_tcp_80"]);

        Assert.Contains("""{"delete":{"chain":{"family":"inet","table":"vigil","name":"vs4_old_tcp_80"}}}""", json, StringComparison.Ordinal);
        Assert.DoesNotContain("""{"delete":{"chain":{"family":"inet","table":"vigil","name":"prerouting"}}}""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_SourceHashWithPort_HashesSaddrAndSport()
    {
        var s = Web(NftScheduler.SourceHash, ("10.77.0.11", 1), ("10.77.0.12", 1)) with { HashPort = true };

        var json = NftRuleset.Full("vigil", [s], []);

        Assert.Contains("""{"jhash":{"mod":2,"expr":{"concat":[{"payload":{"protocol":"ip","field":"saddr"}},{"payload":{"protocol":"th","field":"sport"}}]}}}""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_FwmarkIpv6Service_MatchesFamilyAndMarkAndKeepsPort()
    {
        var s = new NftService(AddressFamily.InterNetworkV6, NftProtocol.Tcp, null, 0, 7, NftScheduler.RoundRobin,
            [new NftBackend(IPAddress.Parse("fd77::11"), 0, 1), new NftBackend(IPAddress.Parse("fd77::12"), 0, 1)]);

        var json = NftRuleset.Full("vigil", [s], []);

        Assert.Equal("fwm6_7", s.ChainName);
        Assert.Contains("""{"match":{"op":"==","left":{"meta":{"key":"nfproto"}},"right":"ipv6"}},{"match":{"op":"==","left":{"meta":{"key":"mark"}},"right":7}}""", json, StringComparison.Ordinal);
        Assert.Contains("""[[0,"fd77::11"],[1,"fd77::12"]]""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ChainNames_ListingJson_ReturnsChains()
    {
        const string listing = """{"nftables":[{"metainfo":{"json_schema_version":1}},{"table":{"family":"inet","name":"vigil","handle":1}},{"chain":{"family":"inet","table":"vigil","name":"prerouting","handle":1}},{"chain":{"family":"inet","table":"vigil","name":"vs4_x","handle":2}}]}""";

        Assert.Equal(["prerouting", "vs4_x"], NftRuleset.ChainNames(listing));
    }

    [Theory]
    [InlineData("wlc")]
    [InlineData("lc")]
    [InlineData("lblcr")]
    [InlineData("ovf")]
    public void ParseScheduler_ConnectionCountingScheduler_Null(string name)
    {
        Assert.Null(NftService.ParseScheduler(name));
    }
}
