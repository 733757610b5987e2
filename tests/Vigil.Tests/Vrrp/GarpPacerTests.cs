using System.Net;
using Vigil.Vrrp;

namespace Vigil.Tests.Vrrp;

public class GarpPacerTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.77.0.100");
    private static readonly IPAddress B = IPAddress.Parse("10.77.0.101");
    private static readonly IPAddress V6 = IPAddress.Parse("fd77::100");

    private sealed class Clock
    {
        public TimeSpan Now { get; set; } = TimeSpan.FromSeconds(10);
    }

    [Fact]
    public void ZeroInterval_SendsTheWholeBurstAtOnce()
    {
        var sent = new List<(int, IPAddress)>();
        var clock = new Clock();
        var pacer = new GarpPacer((i, a) => sent.Add((i, a)), () => clock.Now);
        pacer.Enqueue(3, A, 5);
        Assert.Equal(5, sent.Count);
        Assert.Equal(TimeSpan.MaxValue, pacer.NextDeadline);
    }

    [Fact]
    public void GarpInterval_SpacesPacketsOnTheInterface_AcrossAddresses()
    {
        var sent = new List<(TimeSpan, IPAddress)>();
        var clock = new Clock();
        var pacer = new GarpPacer((_, a) => sent.Add((clock.Now, a)), () => clock.Now)
        {
            Intervals = _ => (TimeSpan.FromMilliseconds(100), TimeSpan.Zero),
        };
        pacer.Enqueue(3, A, 2);
        pacer.Enqueue(3, B, 2);
        // The first goes at once; the rest one per interval, in order.
        Assert.Single(sent);
        while (pacer.NextDeadline != TimeSpan.MaxValue)
        {
            clock.Now = pacer.NextDeadline;
            pacer.OnTimer(clock.Now);
        }
        Assert.Equal([A, A, B, B], sent.Select(s => s.Item2));
        var gaps = sent.Zip(sent.Skip(1), (x, y) => y.Item1 - x.Item1);
        Assert.All(gaps, g => Assert.Equal(TimeSpan.FromMilliseconds(100), g));
    }

    [Fact]
    public void GnaInterval_AppliesToIpv6Only()
    {
        var sent = new List<IPAddress>();
        var clock = new Clock();
        var pacer = new GarpPacer((_, a) => sent.Add(a), () => clock.Now)
        {
            Intervals = _ => (TimeSpan.Zero, TimeSpan.FromSeconds(1)),
        };
        pacer.Enqueue(3, A, 3);
        pacer.Enqueue(3, V6, 3);
        Assert.Equal(4, sent.Count); // three GARPs at once, one NA now and two later
        clock.Now += TimeSpan.FromSeconds(1);
        pacer.OnTimer(clock.Now);
        Assert.Equal(5, sent.Count);
    }

    [Fact]
    public void Cancel_DropsQueuedAnnouncementsOfThatAddress()
    {
        var sent = new List<IPAddress>();
        var clock = new Clock();
        var pacer = new GarpPacer((_, a) => sent.Add(a), () => clock.Now)
        {
            Intervals = _ => (TimeSpan.FromSeconds(1), TimeSpan.Zero),
        };
        pacer.Enqueue(3, A, 3);
        pacer.Cancel(A);
        clock.Now += TimeSpan.FromSeconds(5);
        pacer.OnTimer(clock.Now);
        Assert.Single(sent);
        Assert.Equal(TimeSpan.MaxValue, pacer.NextDeadline);
    }
}
