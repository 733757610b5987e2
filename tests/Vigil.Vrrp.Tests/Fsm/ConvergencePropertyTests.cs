using System.Net;
using CsCheck;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;
using Vigil.Vrrp.Tests.Fakes;

namespace Vigil.Vrrp.Tests.Fsm;

/// <summary>
/// Random start orders, crashes, restarts, priority changes, faults and message loss on the fake LAN; once
/// the chaos stops, every run converges to exactly one master holding the VIP, of the highest effective
/// priority, and then stays put. With equal top priorities the RFC lets a backup accept an equal-priority
/// master, so the address tie-break only decides between simultaneous masters (checked separately).
/// </summary>
public class ConvergencePropertyTests
{
    private sealed record Chaos(double At, int Kind, int Node, int Value);

    private sealed record Scenario(int[] Priorities, double[] StartAt, bool V3, int IntervalChoice, double Loss, Chaos[] Events, int Seed);

    private static readonly Gen<Scenario> Scenarios =
        from count in Gen.Int[2, 5]
        from priorities in Gen.Int[1, 254].Array[count]
        from startAt in Gen.Double[0, 5].Array[count]
        from v3 in Gen.Bool
        from interval in Gen.Int[0, 2]
        from loss in Gen.Double[0, 0.3]
        from events in Gen.Select(Gen.Double[0, 30], Gen.Int[0, 4], Gen.Int[0, count - 1], Gen.Int[1, 254])
            .Select(t => new Chaos(t.Item1, t.Item2, t.Item3, t.Item4)).Array[0, 12]
        from seed in Gen.Int
        select new Scenario(priorities, startAt, v3, interval, loss, events, seed);

    private static TimeSpan Interval(Scenario s) =>
        !s.V3 ? TimeSpan.FromSeconds(1) : s.IntervalChoice switch { 0 => TimeSpan.FromMilliseconds(100), 1 => TimeSpan.FromMilliseconds(500), _ => TimeSpan.FromSeconds(1) };

    private static FakeLan Run(Scenario s)
    {
        var lan = new FakeLan(s.Seed);
        TimeSpan interval = Interval(s);
        for (int i = 0; i < s.Priorities.Length; i++)
        {
            lan.Add($"r{i}", s.Priorities[i], $"10.77.0.{i + 1}", o => o with { Version = s.V3 ? VrrpVersion.V3 : VrrpVersion.V2, AdvertInterval = interval });
        }

        TimeSpan t0 = lan.Now;
        var timeline = s.StartAt.Select((at, i) => (At: at, Action: (Action)(() => lan.Nodes[i].Boot())))
            .Concat(s.Events.Select(e => (e.At + 5, (Action)(() => Apply(lan, e)))))
            .OrderBy(x => x.Item1)
            .ToList();
        lan.LossRate = s.Loss;
        foreach (var (at, action) in timeline)
        {
            lan.RunUntil(t0 + TimeSpan.FromSeconds(at));
            action();
        }

        lan.RunUntil(t0 + TimeSpan.FromSeconds(40));
        lan.LossRate = 0;
        foreach (FakeNode n in lan.Nodes)
        {
            if (!n.Up)
            {
                n.Boot();
            }

            n.Router.SetFault(false, lan.Now);
        }

        return lan;
    }

    private static void Apply(FakeLan lan, Chaos e)
    {
        FakeNode n = lan.Nodes[e.Node];
        switch (e.Kind)
        {
            case 0 when n.Up:
                n.Crash();
                break;
            case 1 when !n.Up:
                n.Boot();
                break;
            case 2 when n.Up:
                n.Router.SetPriority(e.Value, lan.Now);
                break;
            case 3 when n.Up:
                n.Router.SetFault(e.Value % 2 == 0, lan.Now);
                break;
            case 4 when n.Up:
                n.Shutdown();
                break;
            default:
                break;
        }
    }

    [Fact]
    public void AfterChaos_Network_ConvergesToOneHighestPriorityMasterWithoutFlapping()
    {
        Scenarios.Sample(s =>
        {
            FakeLan lan = Run(s);
            lan.RunFor(TimeSpan.FromSeconds(20));
            int transitions = lan.Nodes.Sum(n => n.History.Count);

            lan.RunFor(TimeSpan.FromSeconds(30));

            Assert.Equal(transitions, lan.Nodes.Sum(n => n.History.Count));
            FakeNode master = Assert.Single(lan.Masters);
            Assert.Single(lan.Nodes, n => n.Effects.HoldsAddresses);
            Assert.True(master.Effects.HoldsAddresses);
            Assert.Equal(lan.Nodes.Max(n => n.Router.EffectivePriority), master.Router.EffectivePriority);
            Assert.All(lan.Nodes.Where(n => n != master), n => Assert.Equal(VrrpState.Backup, n.Router.State));
        }, iter: 300);
    }

    [Fact]
    public void SimultaneousStart_EqualPriorities_HighestAddressWins()
    {
        Gen.Select(Gen.Int[2, 6], Gen.Int[1, 254], Gen.Bool, Gen.Int).Sample(t =>
        {
            var (count, priority, v3, seed) = t;
            var lan = new FakeLan(seed);
            var rng = new Random(seed);
            int[] hosts = [.. Enumerable.Range(1, 200).OrderBy(_ => rng.Next()).Take(count)];
            foreach (int h in hosts)
            {
                lan.Add($"h{h}", priority, $"10.77.0.{h}", o => o with { Version = v3 ? VrrpVersion.V3 : VrrpVersion.V2 });
            }

            foreach (FakeNode n in lan.Nodes)
            {
                n.Boot();
            }

            lan.RunFor(TimeSpan.FromSeconds(15));

            Assert.Equal(IPAddress.Parse($"10.77.0.{hosts.Max()}"), Assert.Single(lan.Masters).Options.PrimaryAddress);
        }, iter: 100);
    }
}
