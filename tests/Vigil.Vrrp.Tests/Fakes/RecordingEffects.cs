using System.Net;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp.Tests.Fakes;

/// <summary>One effect the router asked for.</summary>
internal abstract record Effect;

internal sealed record SentAdvert(VrrpAdvert Advert, IPAddress Source, IPAddress Destination, byte[] Payload, byte[] IPv4Datagram) : Effect;

internal sealed record AddedAddresses(IReadOnlyList<IPAddress> Addresses) : Effect;

internal sealed record RemovedAddresses(IReadOnlyList<IPAddress> Addresses) : Effect;

internal sealed record SentGratuitous(IReadOnlyList<IPAddress> Addresses, int Repeat) : Effect;

internal sealed record ChangedState(VrrpStateChange Change) : Effect;

internal sealed record LowerPriorityReceived(IPAddress Source, int Priority) : Effect;

/// <summary>Records every effect in order; optionally forwards adverts (the fake LAN).</summary>
internal sealed class RecordingEffects : IVrrpEffects
{
    public List<Effect> Effects { get; } = [];

    public Action<SentAdvert>? OnSend { get; set; }

    /// <summary>True while the VIPs are installed (the kernel's view).</summary>
    public bool HoldsAddresses { get; private set; }

    public IEnumerable<SentAdvert> Adverts => Effects.OfType<SentAdvert>();

    public IEnumerable<VrrpStateChange> Changes => Effects.OfType<ChangedState>().Select(c => c.Change);

    public void SendAdvert(in VrrpTransmission transmission)
    {
        var sent = new SentAdvert(transmission.Advert, transmission.Source, transmission.Destination, transmission.Payload.ToArray(), transmission.IPv4Datagram.ToArray());
        Effects.Add(sent);
        OnSend?.Invoke(sent);
    }

    public void AddAddresses(IReadOnlyList<IPAddress> addresses)
    {
        HoldsAddresses = true;
        Effects.Add(new AddedAddresses(addresses));
    }

    public void RemoveAddresses(IReadOnlyList<IPAddress> addresses)
    {
        HoldsAddresses = false;
        Effects.Add(new RemovedAddresses(addresses));
    }

    public void SendGratuitous(IReadOnlyList<IPAddress> addresses, int repeat) => Effects.Add(new SentGratuitous(addresses, repeat));

    public void StateChanged(VrrpStateChange change) => Effects.Add(new ChangedState(change));

    public void MasterReceivedLowerPriority(IPAddress source, int priority) => Effects.Add(new LowerPriorityReceived(source, priority));

    public void Clear() => Effects.Clear();
}
