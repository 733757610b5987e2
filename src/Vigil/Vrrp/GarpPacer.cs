using System.Net;
using System.Net.Sockets;

namespace Vigil.Vrrp;

/// <summary>
/// Spaces gratuitous ARPs / NAs on an interface by vrrp_garp_interval / vrrp_gna_interval (or a garp_group's
/// intervals), as keepalived does, so a failover of many VIPs does not flood a switch. With a zero interval
/// packets go at once. Runs on the VRRP loop as one timed participant.
/// </summary>
internal sealed class GarpPacer(Action<int, IPAddress> send, Func<TimeSpan> clock) : ITimed
{
    private readonly Dictionary<(int Interface, AddressFamily Family), Lane> _lanes = [];

    /// <summary>Intervals for an interface: (IPv4 GARP interval, IPv6 NA interval).</summary>
    public Func<int, (TimeSpan Garp, TimeSpan Gna)> Intervals { get; set; } = _ => (TimeSpan.Zero, TimeSpan.Zero);

    public TimeSpan NextDeadline
    {
        get
        {
            var next = TimeSpan.MaxValue;
            foreach (var lane in _lanes.Values)
            {
                if (lane.Pending.Count > 0 && lane.NextAt < next)
                {
                    next = lane.NextAt;
                }
            }
            return next;
        }
    }

    /// <summary>Queues <paramref name="repeat"/> announcements of <paramref name="address"/> on an interface.</summary>
    public void Enqueue(int interfaceIndex, IPAddress address, int repeat)
    {
        var (garp, gna) = Intervals(interfaceIndex);
        var interval = address.AddressFamily == AddressFamily.InterNetworkV6 ? gna : garp;
        if (interval <= TimeSpan.Zero)
        {
            for (var i = 0; i < repeat; i++)
            {
                send(interfaceIndex, address);
            }
            return;
        }
        var key = (interfaceIndex, address.AddressFamily);
        if (!_lanes.TryGetValue(key, out var lane))
        {
            lane = new Lane { NextAt = clock() };
            _lanes[key] = lane;
        }
        for (var i = 0; i < repeat; i++)
        {
            lane.Pending.Enqueue(address);
        }
        lane.Interval = interval;
        if (lane.NextAt < clock() && lane.Pending.Count == repeat)
        {
            lane.NextAt = clock();
        }
        OnTimer(clock());
    }

    public void OnTimer(TimeSpan now)
    {
        foreach (var ((index, _), lane) in _lanes)
        {
            if (lane.Pending.Count > 0 && lane.NextAt <= now)
            {
                send(index, lane.Pending.Dequeue());
                lane.NextAt = now + lane.Interval;
            }
        }
    }

    /// <summary>Drops what is queued for an address (its router left MASTER).</summary>
    public void Cancel(IPAddress address)
    {
        foreach (var lane in _lanes.Values)
        {
            if (lane.Pending.Contains(address))
            {
                var keep = lane.Pending.Where(a => !a.Equals(address)).ToList();
                lane.Pending.Clear();
                keep.ForEach(lane.Pending.Enqueue);
            }
        }
    }

    private sealed class Lane
    {
        public Queue<IPAddress> Pending { get; } = new();
        public TimeSpan NextAt { get; set; }
        public TimeSpan Interval { get; set; }
    }
}
