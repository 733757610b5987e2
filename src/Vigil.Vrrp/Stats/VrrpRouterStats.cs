using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp.Stats;

/// <summary>
/// Per-router counters, after keepalived's .stats file. Written only by the router's loop; read a
/// <see cref="Snapshot"/> from elsewhere (the values are plain longs, a torn read shows an older count at worst).
/// </summary>
public sealed class VrrpRouterStats
{
    private readonly long[] _drops = new long[Enum.GetValues<VrrpDropReason>().Length];

    /// <summary>Adverts accepted by the receive checks.</summary>
    public long AdvertsReceived { get; private set; }

    /// <summary>Adverts sent (one per destination).</summary>
    public long AdvertsSent { get; private set; }

    /// <summary>Transitions into MASTER.</summary>
    public long BecameMaster { get; private set; }

    /// <summary>Transitions out of MASTER.</summary>
    public long ReleasedMaster { get; private set; }

    /// <summary>Adverts with priority 0 received.</summary>
    public long PriorityZeroReceived { get; private set; }

    /// <summary>Adverts with priority 0 sent.</summary>
    public long PriorityZeroSent { get; private set; }

    /// <summary>Accepted adverts whose address list differs from ours (keepalived addr_list_err).</summary>
    public long AddressListErrors { get; private set; }

    /// <summary>Packets dropped for <paramref name="reason"/>.</summary>
    public long Dropped(VrrpDropReason reason) => (uint)reason < (uint)_drops.Length ? _drops[(int)reason] : 0;

    internal void CountReceived() => AdvertsReceived++;

    internal void CountSent(int priority)
    {
        AdvertsSent++;
        if (priority == 0)
        {
            PriorityZeroSent++;
        }
    }

    internal void CountPriorityZeroReceived() => PriorityZeroReceived++;

    internal void CountBecameMaster() => BecameMaster++;

    internal void CountReleasedMaster() => ReleasedMaster++;

    internal void CountAddressListError() => AddressListErrors++;

    internal void CountDrop(VrrpDropReason reason) => _drops[(int)reason]++;

    /// <summary>An immutable copy, with keepalived's names where it has one.</summary>
    public VrrpRouterStatsSnapshot Snapshot()
    {
        var drops = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (VrrpDropReason reason in Enum.GetValues<VrrpDropReason>())
        {
            if (reason != VrrpDropReason.None)
            {
                drops[reason.ToString()] = _drops[(int)reason];
            }
        }

        return new VrrpRouterStatsSnapshot(
            AdvertsReceived,
            AdvertsSent,
            BecameMaster,
            ReleasedMaster,
            PacketLengthErrors: Dropped(VrrpDropReason.TooShort) + Dropped(VrrpDropReason.BadLength),
            TtlErrors: Dropped(VrrpDropReason.BadTtl),
            InvalidTypeReceived: Dropped(VrrpDropReason.BadType),
            AdvertIntervalErrors: Dropped(VrrpDropReason.IntervalMismatch),
            AddressListErrors,
            AuthTypeMismatch: Dropped(VrrpDropReason.AuthTypeMismatch),
            AuthFailure: Dropped(VrrpDropReason.AuthFailure),
            PriorityZeroReceived,
            PriorityZeroSent,
            drops);
    }
}

/// <summary>Counters at one moment (keepalived .stats names in the comments).</summary>
/// <param name="AdvertsReceived">Advertisements: Received.</param>
/// <param name="AdvertsSent">Advertisements: Sent.</param>
/// <param name="BecameMaster">Became master.</param>
/// <param name="ReleasedMaster">Released master.</param>
/// <param name="PacketLengthErrors">Packet Errors: Length.</param>
/// <param name="TtlErrors">Packet Errors: TTL.</param>
/// <param name="InvalidTypeReceived">Packet Errors: Invalid Type.</param>
/// <param name="AdvertIntervalErrors">Packet Errors: Advertisement Interval.</param>
/// <param name="AddressListErrors">Packet Errors: Address List.</param>
/// <param name="AuthTypeMismatch">Authentication Errors: Type Mismatch.</param>
/// <param name="AuthFailure">Authentication Errors: Failure.</param>
/// <param name="PriorityZeroReceived">Priority Zero: Received.</param>
/// <param name="PriorityZeroSent">Priority Zero: Sent.</param>
/// <param name="DroppedByReason">Every drop counter by <see cref="VrrpDropReason"/> name.</param>
public sealed record VrrpRouterStatsSnapshot(
    long AdvertsReceived,
    long AdvertsSent,
    long BecameMaster,
    long ReleasedMaster,
    long PacketLengthErrors,
    long TtlErrors,
    long InvalidTypeReceived,
    long AdvertIntervalErrors,
    long AddressListErrors,
    long AuthTypeMismatch,
    long AuthFailure,
    long PriorityZeroReceived,
    long PriorityZeroSent,
    IReadOnlyDictionary<string, long> DroppedByReason);
