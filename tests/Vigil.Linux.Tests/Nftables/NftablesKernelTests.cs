using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Nftables;
using Vigil.Linux.Tests.Kernel;

namespace Vigil.Linux.Tests.Nftables;

public class NftablesKernelTests
{
    private static NftService Web(params (string Address, int Weight)[] backends) =>
        new(AddressFamily.InterNetwork, NftProtocol.Tcp, IPAddress.Parse("10.77.0.100"), 80, 0, NftScheduler.WeightedRoundRobin,
            [.. backends.Select(b => new NftBackend(IPAddress.Parse(b.Address), 80, b.Weight))]);

    private static List<JsonElement> Ruleset(string ns)
    {
        using var doc = JsonDocument.Parse(LabPair.Ip($"netns exec {ns} nft -j list ruleset"));
        return [.. doc.RootElement.GetProperty("nftables").EnumerateArray().Select(e => e.Clone())];
    }

    private static string DnatSet(List<JsonElement> ruleset, string chain) =>
        ruleset.Where(e => e.TryGetProperty("rule", out var r) && r.GetProperty("chain").GetString() == chain)
            .Select(e => e.GetProperty("rule").GetProperty("expr")[1].GetProperty("dnat").GetProperty("addr").GetProperty("map").GetProperty("data").GetProperty("set").GetRawText())
            .Single();

    [Fact]
    public void Apply_WrrService_KernelHoldsTableAndMap()
    {
        using var lab = LabPair.Create(addresses: false);
        using var ns = NetworkNamespace.Open(lab.A);
        using var plane = new NftablesDataPlane(ns);

        var service = Web(("10.77.0.11", 3), ("10.77.0.12", 1));
        plane.Apply([service]);
        plane.Apply([service]);

        var ruleset = Ruleset(lab.A);
        Assert.Equal(1, plane.Transactions);
        Assert.Equal(["prerouting", "output", service.ChainName], ruleset.Where(e => e.TryGetProperty("chain", out _)).Select(e => e.GetProperty("chain").GetProperty("name").GetString()));
        Assert.Equal("""[[{"range":[0,2]},{"concat":["10.77.0.11",80]}],[3,{"concat":["10.77.0.12",80]}]]""", DnatSet(ruleset, service.ChainName).Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Apply_BackendGone_OnlyServiceChainRefilledDispatchKeepsHandle()
    {
        using var lab = LabPair.Create(addresses: false);
        using var ns = NetworkNamespace.Open(lab.A);
        using var plane = new NftablesDataPlane(ns);
        plane.Apply([Web(("10.77.0.11", 1), ("10.77.0.12", 1))]);
        var dispatchHandle = Ruleset(lab.A).First(e => e.TryGetProperty("rule", out var r) && r.GetProperty("chain").GetString() == "prerouting")
            .GetProperty("rule").GetProperty("handle").GetInt64();

        plane.Apply([Web(("10.77.0.11", 1), ("10.77.0.12", 0))]);

        var ruleset = Ruleset(lab.A);
        var dispatch = ruleset.First(e => e.TryGetProperty("rule", out var r) && r.GetProperty("chain").GetString() == "prerouting");
        Assert.Equal(dispatchHandle, dispatch.GetProperty("rule").GetProperty("handle").GetInt64());
        var rule = ruleset.Single(e => e.TryGetProperty("rule", out var r) && r.GetProperty("chain").GetString() == Web().ChainName).GetProperty("rule");
        var dnat = rule.GetProperty("expr")[1].GetProperty("dnat");
        Assert.Equal("10.77.0.11", dnat.GetProperty("addr").GetString());
        Assert.Equal(80, dnat.GetProperty("port").GetInt32());
    }

    [Fact]
    public void Apply_ServiceRemovedThenRemove_ChainDeletedThenTableGone()
    {
        using var lab = LabPair.Create(addresses: false);
        using var ns = NetworkNamespace.Open(lab.A);
        using var plane = new NftablesDataPlane(ns);
        var mark = new NftService(AddressFamily.InterNetwork, NftProtocol.Tcp, null, 0, 9, NftScheduler.Maglev,
            [new NftBackend(IPAddress.Parse("10.77.0.11"), 0, 1), new NftBackend(IPAddress.Parse("10.77.0.12"), 0, 1)]);
        plane.Apply([Web(("10.77.0.11", 1)), mark]);

        // A fresh data plane (a restart) finds the old chains and converges.
        using var restarted = new NftablesDataPlane(ns);
        restarted.Apply([mark]);

        Assert.Equal(["prerouting", "output", "fwm4_9"], restarted.ChainNames());
        restarted.Remove();
        Assert.DoesNotContain(Ruleset(lab.A), e => e.TryGetProperty("table", out _));
        restarted.Remove();
    }
}
