using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp.Tests.Fakes;

/// <summary>One host on the fake link.</summary>
internal sealed class FakeNode(FakeLan lan, VrrpInstanceOptions options)
{
    public VrrpInstanceOptions Options { get; } = options;

    public RecordingEffects Effects { get; private set; } = new();

    public VrrpRouter Router { get; private set; } = null!;

    /// <summary>False while crashed: sends and receives nothing, timers do not run.</summary>
    public bool Up { get; private set; }

    public string Name => Options.Name;

    /// <summary>Time of the last advert this node sent (after <see cref="TrackSends"/>).</summary>
    public TimeSpan LastSendAt => SendTimes.Count > 0 ? SendTimes[^1] : TimeSpan.Zero;

    /// <summary>Times of every advert this node sent (after <see cref="TrackSends"/>).</summary>
    public List<TimeSpan> SendTimes { get; } = [];

    private FakeLan? _tracking;

    /// <summary>Records <see cref="LastSendAt"/> from now on.</summary>
    public void TrackSends(FakeLan clock) => _tracking = clock;

    /// <summary>Every state change of every incarnation of this node.</summary>
    public List<VrrpStateChange> History { get; } = [];

    /// <summary>Called after each state change (a sync group's host reacting), on the simulation's thread.</summary>
    public Action<FakeNode, VrrpStateChange>? OnChange { get; set; }

    /// <summary>Runs before <see cref="VrrpRouter.Start"/> on each boot (attach a sync group here).</summary>
    public Action<FakeNode>? BeforeStart { get; set; }

    public void Boot()
    {
        Effects = new RecordingEffects
        {
            OnSend = sent =>
            {
                if (_tracking is not null)
                {
                    SendTimes.Add(_tracking.Now);
                }

                lan.Broadcast(this, sent);
            },
        };
        Router = new VrrpRouter(Options, new HistoryEffects(Effects, History, change => OnChange?.Invoke(this, change)));
        Up = true;
        BeforeStart?.Invoke(this);
        Router.Start(lan.Now);
    }

    /// <summary>kill -9: no priority 0, nothing more sent.</summary>
    public void Crash() => Up = false;

    /// <summary>Graceful shutdown: priority 0 if MASTER.</summary>
    public void Shutdown()
    {
        Router.Stop(lan.Now);
        Up = false;
    }

    private sealed class HistoryEffects(RecordingEffects inner, List<VrrpStateChange> history, Action<VrrpStateChange> changed) : IVrrpEffects
    {
        public void SendAdvert(in VrrpTransmission transmission) => inner.SendAdvert(transmission);

        public void AddAddresses(IReadOnlyList<IPAddress> addresses) => inner.AddAddresses(addresses);

        public void RemoveAddresses(IReadOnlyList<IPAddress> addresses) => inner.RemoveAddresses(addresses);

        public void SendGratuitous(IReadOnlyList<IPAddress> addresses, int repeat) => inner.SendGratuitous(addresses, repeat);

        public void StateChanged(VrrpStateChange change)
        {
            history.Add(change);
            inner.StateChanged(change);
            changed(change);
        }

        public void MasterReceivedLowerPriority(IPAddress source, int priority) => inner.MasterReceivedLowerPriority(source, priority);
    }
}

/// <summary>
/// An in-memory link: a discrete-event simulation on a <see cref="FakeTimeProvider"/>. Adverts sent by one
/// router are delivered as bytes (through the real codec) to every other up node after <see cref="Latency"/>,
/// unless lost (<see cref="LossRate"/>, seeded) or blocked (<see cref="Blocked"/>, a partition).
/// </summary>
internal sealed class FakeLan
{
    private readonly PriorityQueue<Action, (TimeSpan At, long Seq)> _deliveries = new();
    private readonly Random _random;
    private readonly TimeSpan _epoch = TimeSpan.FromSeconds(1000);
    private readonly long _start;
    private long _seq;

    public FakeLan(int seed = 1)
    {
        _random = new Random(seed);
        _start = Clock.GetTimestamp();
    }

    public FakeTimeProvider Clock { get; } = new();

    /// <summary>Monotonic time the routers see (an arbitrary epoch plus the fake clock's elapsed time).</summary>
    public TimeSpan Now => _epoch + Clock.GetElapsedTime(_start);

    public List<FakeNode> Nodes { get; } = [];

    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    public double LossRate { get; set; }

    /// <summary>Partition: true when packets from the first node must not reach the second.</summary>
    public Func<FakeNode, FakeNode, bool>? Blocked { get; set; }

    /// <summary>Delivered packets that the receiving router dropped, by reason.</summary>
    public Dictionary<VrrpDropReason, int> Drops { get; } = [];

    public FakeNode Add(VrrpInstanceOptions options)
    {
        var node = new FakeNode(this, options);
        Nodes.Add(node);
        return node;
    }

    public FakeNode Add(string name, int priority, string address, Func<VrrpInstanceOptions, VrrpInstanceOptions>? configure = null)
    {
        var options = new VrrpInstanceOptions
        {
            Name = name,
            VirtualRouterId = 51,
            PrimaryAddress = IPAddress.Parse(address),
            Priority = priority,
            VirtualAddresses = [IPAddress.Parse(address.Contains(':', StringComparison.Ordinal) ? "fd77::100" : "10.77.0.100")],
        };
        return Add(configure is null ? options : configure(options));
    }

    internal void Broadcast(FakeNode from, SentAdvert sent)
    {
        foreach (FakeNode to in Nodes)
        {
            if (ReferenceEquals(to, from) || to.Options.VirtualRouterId != from.Options.VirtualRouterId)
            {
                continue;
            }

            bool unicastMiss = !VrrpReceiveInfo.IsMulticastAddress(sent.Destination) && !sent.Destination.Equals(to.Options.PrimaryAddress);
            if (unicastMiss || (LossRate > 0 && _random.NextDouble() < LossRate) || (Blocked?.Invoke(from, to) ?? false))
            {
                continue;
            }

            _deliveries.Enqueue(() => Deliver(to, sent), (Now + Latency, _seq++));
        }
    }

    private void Deliver(FakeNode to, SentAdvert sent)
    {
        if (!to.Up)
        {
            return;
        }

        VrrpDropReason reason = sent.Source.AddressFamily == AddressFamily.InterNetwork
            ? to.Router.OnIPv4Datagram(sent.IPv4Datagram, Now)
            : to.Router.OnPacket(sent.Payload, new VrrpReceiveInfo(sent.Source, sent.Destination, 255), Now);
        if (reason != VrrpDropReason.None)
        {
            Drops[reason] = Drops.GetValueOrDefault(reason) + 1;
        }
    }

    /// <summary>Runs deliveries and router timers in time order up to <paramref name="until"/>.</summary>
    public void RunUntil(TimeSpan until)
    {
        for (int guard = 0; guard < 10_000_000; guard++)
        {
            TimeSpan nextTimer = VrrpRouter.Never;
            foreach (FakeNode n in Nodes)
            {
                if (n.Up && n.Router.NextDeadline < nextTimer)
                {
                    nextTimer = n.Router.NextDeadline;
                }
            }

            TimeSpan nextDelivery = _deliveries.TryPeek(out _, out var key) ? key.At : VrrpRouter.Never;
            TimeSpan next = nextDelivery <= nextTimer ? nextDelivery : nextTimer;
            if (next > until)
            {
                AdvanceTo(until);
                return;
            }

            AdvanceTo(next);
            if (nextDelivery <= nextTimer)
            {
                _deliveries.Dequeue()();
                continue;
            }

            foreach (FakeNode n in Nodes)
            {
                if (n.Up && n.Router.NextDeadline <= Now)
                {
                    n.Router.OnTimer(Now);
                }
            }
        }

        throw new InvalidOperationException("Simulation did not make progress.");
    }

    public void RunFor(TimeSpan duration) => RunUntil(Now + duration);

    private void AdvanceTo(TimeSpan at)
    {
        if (at > Now)
        {
            Clock.Advance(at - Now);
        }
    }

    public IReadOnlyList<FakeNode> Masters => [.. Nodes.Where(n => n.Up && n.Router.State == VrrpState.Master)];
}
