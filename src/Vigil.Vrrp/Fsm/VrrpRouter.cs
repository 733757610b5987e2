using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Vrrp.Packets;
using Vigil.Vrrp.Stats;

namespace Vigil.Vrrp.Fsm;

/// <summary>
/// One VRRP virtual router (a vrrp_instance): a pure state machine. Every input carries the current
/// monotonic time; the router never reads a clock. After any input the host reads <see cref="NextDeadline"/>
/// and calls <see cref="OnTimer"/> once that time has come (calling it early is harmless). Inputs must come
/// from one loop at a time: the router has no locks. <see cref="ChangeState"/> is the only writer of <see cref="State"/>.
/// </summary>
public sealed class VrrpRouter
{
    /// <summary>"No deadline".</summary>
    public static readonly TimeSpan Never = TimeSpan.MaxValue;

    // A flood of lower-priority adverts must not grow the schedule without bound.
    private const int MaxPendingLowerPrioBursts = 64;

    private readonly IVrrpEffects _effects;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<IPAddress> _installable;
    private readonly HashSet<IPAddress> _advertisedSet;
    private readonly byte[] _buffer;
    private readonly byte[] _authKey;
    private readonly IReadOnlyList<IPAddress> _destinations;

    private TimeSpan _advertDue = Never;
    private TimeSpan _masterDownDue = Never;
    private TimeSpan _garpDelayedBurstDue = Never;
    private TimeSpan _garpRefreshDue = Never;
    private readonly Queue<TimeSpan> _lowerPrioBursts = new();
    private TimeSpan _preemptAllowedAt = Never;
    private bool _fault;
    private ushort _ipIdentification;
    private uint _ahSequence;
    private VrrpAdvert? _advert;

    /// <summary>Creates a router in <see cref="VrrpState.Init"/>; options are normalized as keepalived does (each change logged).</summary>
    /// <exception cref="ArgumentOutOfRangeException">VRID 0.</exception>
    public VrrpRouter(VrrpInstanceOptions options, IVrrpEffects effects, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(effects);
        if (options.VirtualRouterId == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "virtual_router_id must be 1-255 [RFC 5798 §5.2.3].");
        }

        _effects = effects;
        _logger = logger ?? NullLogger.Instance;
        Options = options.Normalize(out IReadOnlyList<string> adjustments);
        foreach (string adjustment in adjustments)
        {
            VrrpLog.OptionAdjusted(_logger, options.Name, adjustment);
        }

        ReceivePolicy = Options.ToReceivePolicy();
        _authKey = Options.AuthKey;
        _destinations = Options.Destinations;
        _installable = [.. Options.VirtualAddresses, .. Options.ExcludedAddresses];
        _advertisedSet = [.. Options.VirtualAddresses];
        _buffer = new byte[VrrpIPv4Datagram.HeaderLength + VrrpAuthHeader.Length
            + VrrpCodec.GetPayloadLength(Options.Version, AddressFamily.InterNetworkV6, Options.VirtualAddresses.Count)];
        EffectivePriority = Options.Priority;
        MasterAdvertInterval = Options.AdvertInterval;
    }

    /// <summary>The options in force (after normalization).</summary>
    public VrrpInstanceOptions Options { get; }

    /// <summary>
    /// keepalived's wantstate: true once the router's own election says MASTER (its master down timer ran out,
    /// or it is MASTER), false again when it accepts a master's advert or enters BACKUP, FAULT or STOP. A sync
    /// group lets a member take over only when every other member wants MASTER too.
    /// </summary>
    public bool WantsMaster { get; private set; }

    /// <summary>True while a sync group holds the router in BACKUP although its master down timer ran out.</summary>
    public bool TakeoverHeld => State == VrrpState.Backup && WantsMaster;

    /// <summary>The sync group asked before a timer takeover (null: no group, take over at once).</summary>
    public IVrrpTakeoverGate? TakeoverGate { get; set; }

    /// <summary>Instance name.</summary>
    public string Name => Options.Name;

    /// <summary>The decoder's expectations, for hosts that decode before dispatching.</summary>
    public VrrpReceivePolicy ReceivePolicy { get; }

    /// <summary>Current state.</summary>
    public VrrpState State { get; private set; } = VrrpState.Init;

    /// <summary>Priority after <see cref="SetPriority"/> (the base priority until then).</summary>
    public int EffectivePriority { get; private set; }

    /// <summary>Master_Adver_Interval: ours, or (v3) the interval of the master we follow.</summary>
    public TimeSpan MasterAdvertInterval { get; private set; }

    /// <summary>Address of the master whose adverts we accepted last (ours when MASTER).</summary>
    public IPAddress? MasterAddress { get; private set; }

    /// <summary>Priority in the last accepted advert from the master (ours when MASTER).</summary>
    public int MasterPriority { get; private set; }

    /// <summary>Counters (carried over by <see cref="Resume"/>).</summary>
    public VrrpRouterStats Stats { get; private set; } = new();

    /// <summary>Time of the last state change.</summary>
    public TimeSpan LastTransition { get; private set; }

    /// <summary>Reason of the last state change.</summary>
    public VrrpTransitionReason? LastTransitionReason { get; private set; }

    /// <summary>Skew_Time for the current priority and master interval.</summary>
    public TimeSpan SkewTime => VrrpTimers.SkewTime(Options.Version, EffectivePriority, MasterAdvertInterval);

    /// <summary>Master_Down_Interval for the current priority and master interval.</summary>
    public TimeSpan MasterDownInterval =>
        VrrpTimers.MasterDownInterval(Options.Version, EffectivePriority, MasterAdvertInterval, Options.DownTimerAdverts);

    /// <summary>When the host must call <see cref="OnTimer"/> next; <see cref="Never"/> when nothing is scheduled.</summary>
    public TimeSpan NextDeadline =>
        Min(Min(_advertDue, _masterDownDue), Min(Min(_garpDelayedBurstDue, _garpRefreshDue), _lowerPrioBursts.TryPeek(out TimeSpan due) ? due : Never));

    /// <summary>
    /// Starts the router: removes leftover addresses (keepalived compat: a crashed earlier run may have left them),
    /// then FAULT if a fault is raised, MASTER at once if priority 255 with state MASTER, else BACKUP waiting
    /// the full master down interval (even with state MASTER).
    /// </summary>
    public void Start(TimeSpan now)
    {
        if (State != VrrpState.Init)
        {
            return;
        }

        if (_installable.Count > 0)
        {
            _effects.RemoveAddresses(_installable);
        }

        if (_fault)
        {
            ChangeState(VrrpState.Fault, VrrpTransitionReason.FaultRaised, now);
        }
        else if (IsStartupOwner)
        {
            ChangeState(VrrpState.Master, VrrpTransitionReason.AddressOwner, now);
        }
        else
        {
            ChangeState(VrrpState.Backup, VrrpTransitionReason.Startup, now);
        }
    }

    /// <summary>
    /// Continues the runtime state of <paramref name="previous"/> (a running router of the same virtual router,
    /// from before a reload) with this router's options, instead of <see cref="Start"/>: state, timers, master,
    /// counters and fault carry over, nothing is sent and no state change is reported. keepalived compat: a
    /// reload keeps an instance's state when it still exists, even when its priority, advert_int, VIPs or
    /// trackers changed. A MASTER installs the VIPs it gained (with a GARP burst) and removes those it lost
    /// (through <paramref name="previous"/>'s effects, which know them); the tracker offset on the priority is
    /// kept until the host sets the new one. <paramref name="previous"/> must not be used afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">The identity differs (see <see cref="CanResume"/>).</exception>
    /// <exception cref="InvalidOperationException">This router has already started.</exception>
    public void Resume(VrrpRouter previous, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(previous);
        if (!CanResume(previous))
        {
            throw new ArgumentException("A router resumes only a router of the same VRID, family, version, source address and cast.", nameof(previous));
        }

        if (State != VrrpState.Init)
        {
            throw new InvalidOperationException("Resume replaces Start; the router has already started.");
        }

        State = previous.State;
        _fault = previous._fault;
        WantsMaster = previous.WantsMaster;
        Stats = previous.Stats;
        LastTransition = previous.LastTransition;
        LastTransitionReason = previous.LastTransitionReason;
        MasterAddress = previous.MasterAddress;
        MasterPriority = previous.MasterPriority;
        _ipIdentification = previous._ipIdentification;
        _ahSequence = previous._ahSequence;
        _advertDue = previous._advertDue;
        _masterDownDue = previous._masterDownDue;
        _garpDelayedBurstDue = previous._garpDelayedBurstDue;
        _garpRefreshDue = previous._garpRefreshDue;
        foreach (TimeSpan burst in previous._lowerPrioBursts)
        {
            _lowerPrioBursts.Enqueue(burst);
        }

        _preemptAllowedAt = Options.PreemptDelay > TimeSpan.Zero && !Options.NoPreempt ? previous._preemptAllowedAt : Never;
        int offset = previous.Options.Priority >= 255 ? 0 : previous.EffectivePriority - previous.Options.Priority;
        EffectivePriority = Options.Priority >= 255 ? 255 : Math.Clamp(Options.Priority + offset, 1, 254);
        // v2 (and our own side in v3) runs on the configured interval; a v3 backup keeps the master's until its next advert.
        MasterAdvertInterval = State == VrrpState.Backup && Options.Version == VrrpVersion.V3 && MasterAddress is not null
            ? previous.MasterAdvertInterval
            : Options.AdvertInterval;
        if (EffectivePriority != previous.EffectivePriority)
        {
            VrrpLog.PriorityChanged(_logger, Name, previous.EffectivePriority, EffectivePriority);
        }

        if (State != VrrpState.Master)
        {
            return;
        }

        MasterPriority = EffectivePriority;
        MasterAddress = Options.PrimaryAddress;
        if (Options.AdvertInterval != previous.Options.AdvertInterval)
        {
            _advertDue = Min(_advertDue, now + Options.AdvertInterval);
        }

        _garpRefreshDue = Options.GarpMasterRefresh <= TimeSpan.Zero ? Never
            : previous.Options.GarpMasterRefresh != Options.GarpMasterRefresh ? now + Options.GarpMasterRefresh
            : _garpRefreshDue;
        IPAddress[] lost = [.. previous._installable.Where(a => !_installable.Contains(a))];
        IPAddress[] gained = [.. _installable.Where(a => !previous._installable.Contains(a))];
        if (lost.Length > 0)
        {
            previous._effects.RemoveAddresses(lost);
        }

        if (gained.Length > 0)
        {
            _effects.AddAddresses(gained);
            if (Options.GarpMasterRepeat > 0)
            {
                _effects.SendGratuitous(gained, Options.GarpMasterRepeat);
            }
        }

        VrrpLog.Resumed(_logger, Name, gained.Length, lost.Length);
    }

    /// <summary>True when this router can continue <paramref name="previous"/>'s state (<see cref="Resume"/>): the same
    /// VRID, address family, VRRP version, source address and unicast/multicast.</summary>
    public bool CanResume(VrrpRouter previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        VrrpInstanceOptions a = previous.Options, b = Options;
        return a.VirtualRouterId == b.VirtualRouterId && a.Family == b.Family && a.Version == b.Version
            && a.PrimaryAddress.Equals(b.PrimaryAddress) && (a.UnicastPeers.Count > 0) == (b.UnicastPeers.Count > 0);
    }

    /// <summary>
    /// A sync group pulls this router to MASTER because another member took over (keepalived's sync to MASTER):
    /// a BACKUP becomes MASTER at once; any other state is left alone.
    /// </summary>
    public void ForceMaster(TimeSpan now)
    {
        if (State == VrrpState.Backup && !_fault)
        {
            ChangeState(VrrpState.Master, VrrpTransitionReason.SyncGroup, now);
        }
    }

    /// <summary>
    /// A sync group pulls this router to BACKUP because another member left MASTER (keepalived's sync to BACKUP):
    /// a MASTER removes its addresses and becomes BACKUP. keepalived compat (2.2.7 vrrp_sync_backup): without a
    /// priority-0 advert, so the peer takes over after its master down interval. Any other state is left alone.
    /// </summary>
    public void ForceBackup(TimeSpan now)
    {
        if (State == VrrpState.Master)
        {
            ChangeState(VrrpState.Backup, VrrpTransitionReason.SyncGroup, now);
        }
    }

    /// <summary>Runs every timer that is due at <paramref name="now"/>.</summary>
    public void OnTimer(TimeSpan now)
    {
        if (State == VrrpState.Backup && _masterDownDue <= now)
        {
            bool alreadyHeld = WantsMaster;
            WantsMaster = true;
            if (TakeoverGate is { } gate && !gate.MayBecomeMaster(this))
            {
                // keepalived compat (vrrp_sync_can_goto_master): held in BACKUP, silent, asking again after a full
                // master down interval; an accepted advert drops the wish, another member taking over pulls us along.
                _masterDownDue = now + MasterDownInterval;
                if (!alreadyHeld)
                {
                    VrrpLog.TakeoverHeld(_logger, Name);
                }

                return;
            }

            ChangeState(VrrpState.Master, VrrpTransitionReason.MasterDownTimerExpired, now);
            return;
        }

        if (State != VrrpState.Master)
        {
            return;
        }

        if (_advertDue <= now)
        {
            SendAdvert(EffectivePriority);
            TimeSpan next = _advertDue + Options.AdvertInterval;
            _advertDue = next > now ? next : now + Options.AdvertInterval;
        }

        if (_garpDelayedBurstDue <= now)
        {
            _garpDelayedBurstDue = Never;
            SendGratuitous(Options.GarpMasterRepeat);
        }

        while (_lowerPrioBursts.TryPeek(out TimeSpan burst) && burst <= now)
        {
            _lowerPrioBursts.Dequeue();
            SendGratuitous(Options.GarpLowerPrioRepeat ?? Options.GarpMasterRepeat);
        }

        if (_garpRefreshDue <= now)
        {
            _garpRefreshDue = now + Options.GarpMasterRefresh;
            SendGratuitous(Options.GarpMasterRefreshRepeat);
        }
    }

    /// <summary>A received IPv4 datagram (IP header included, as an IPv4 raw socket delivers it). Returns the drop reason or None.</summary>
    public VrrpDropReason OnIPv4Datagram(ReadOnlySpan<byte> datagram, TimeSpan now) =>
        Accept(VrrpIPv4Datagram.Decode(datagram, ReceivePolicy), now);

    /// <summary>A received VRRP message with its metadata (IPv6, or IPv4 with the header stripped). Returns the drop reason or None.</summary>
    public VrrpDropReason OnPacket(ReadOnlySpan<byte> payload, in VrrpReceiveInfo info, TimeSpan now) =>
        Accept(VrrpCodec.DecodePayload(payload, info, ReceivePolicy), now);

    /// <summary>An advert that already passed the receive checks (for hosts that decode themselves).</summary>
    public void OnAdvert(VrrpAdvert advert, IPAddress source, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(advert);
        ArgumentNullException.ThrowIfNull(source);
        Stats.CountReceived();
        CheckAddressList(advert, source);
        switch (State)
        {
            case VrrpState.Backup:
                BackupReceived(advert, source, now);
                break;
            case VrrpState.Master:
                MasterReceived(advert, source, now);
                break;
            default:
                // INIT, FAULT and STOP ignore adverts.
                break;
        }
    }

    /// <summary>Raises or clears the fault (interface down, weight-0 tracker failed).</summary>
    public void SetFault(bool fault, TimeSpan now)
    {
        if (_fault == fault)
        {
            return;
        }

        _fault = fault;
        if (fault && State is VrrpState.Backup or VrrpState.Master)
        {
            ChangeState(VrrpState.Fault, VrrpTransitionReason.FaultRaised, now);
        }
        else if (!fault && State == VrrpState.Fault)
        {
            ChangeState(IsStartupOwner ? VrrpState.Master : VrrpState.Backup, VrrpTransitionReason.FaultCleared, now);
        }
    }

    /// <summary>
    /// Sets the effective priority computed by the trackers (1-254). keepalived compat: an address owner
    /// (base priority 255) never changes priority. Takes effect in the next advert and the next timer reset.
    /// </summary>
    public void SetPriority(int priority, TimeSpan now)
    {
        if (Options.Priority == 255)
        {
            return;
        }

        priority = Math.Clamp(priority, 1, 254);
        if (priority == EffectivePriority)
        {
            return;
        }

        VrrpLog.PriorityChanged(_logger, Name, EffectivePriority, priority);
        EffectivePriority = priority;
        if (State == VrrpState.Master)
        {
            MasterPriority = priority;
        }
    }

    /// <summary>Shuts down: a MASTER sends priority 0 and removes its addresses; then STOP.</summary>
    public void Stop(TimeSpan now)
    {
        if (State != VrrpState.Stop)
        {
            ChangeState(VrrpState.Stop, VrrpTransitionReason.Stopped, now);
        }
    }

    /// <summary>The router's state for status output.</summary>
    public VrrpRouterSnapshot GetSnapshot() => new(
        Name,
        Options.VirtualRouterId,
        Options.Version,
        State,
        _fault,
        Options.Priority,
        EffectivePriority,
        MasterPriority,
        MasterAddress?.ToString(),
        Options.AdvertInterval,
        MasterAdvertInterval,
        LastTransition,
        LastTransitionReason,
        Stats.Snapshot());

    private bool IsStartupOwner => Options.InitialState == VrrpState.Master && Options.Priority == 255;

    private VrrpDropReason Accept(in VrrpDecodeResult result, TimeSpan now)
    {
        if (!result.IsAccepted)
        {
            Stats.CountDrop(result.Reason);
            VrrpLog.PacketDropped(_logger, Name, result.Info.Source, result.Reason);
            return result.Reason;
        }

        OnAdvert(result.Advert, result.Info.Source, now);
        return VrrpDropReason.None;
    }

    private void BackupReceived(VrrpAdvert advert, IPAddress source, TimeSpan now)
    {
        if (advert.Priority == 0)
        {
            // RFC 5798 §6.4.2: the master is leaving; take over after Skew_Time.
            Stats.CountPriorityZeroReceived();
            VrrpLog.PriorityZeroReceived(_logger, Name, source);
            _masterDownDue = now + SkewTime;
            return;
        }

        bool higherOrEqual = advert.Priority >= EffectivePriority;
        if (higherOrEqual)
        {
            _preemptAllowedAt = Never;
        }
        else if (Options.PreemptDelay > TimeSpan.Zero && _preemptAllowedAt == Never)
        {
            _preemptAllowedAt = now + Options.PreemptDelay;
        }

        bool preemptDelayed = Options.PreemptDelay > TimeSpan.Zero && now < _preemptAllowedAt;
        if (Options.NoPreempt || higherOrEqual || preemptDelayed)
        {
            // RFC 5798 §6.4.2: accept (equal priority too), follow the master, reset the down timer.
            // keepalived compat: a member held back by its sync group no longer wants MASTER.
            WantsMaster = false;
            MasterAddress = source;
            MasterPriority = advert.Priority;
            if (Options.Version == VrrpVersion.V3 && advert.AdvertInterval != MasterAdvertInterval)
            {
                VrrpLog.AdoptingInterval(_logger, Name, source, advert.AdvertInterval);
                MasterAdvertInterval = advert.AdvertInterval;
            }

            _masterDownDue = now + MasterDownInterval;
        }
        else
        {
            VrrpLog.LowerPriorityDiscarded(_logger, Name, advert.Priority, source);
        }
    }

    private void MasterReceived(VrrpAdvert advert, IPAddress source, TimeSpan now)
    {
        if (Options.OwnerIgnoreAdverts && EffectivePriority == 255)
        {
            return;
        }

        if (advert.Priority == 0)
        {
            // RFC 5798 §6.4.3: answer at once so backups do not time out.
            Stats.CountPriorityZeroReceived();
            SendAdvert(EffectivePriority);
            _advertDue = now + Options.AdvertInterval;
            return;
        }

        bool higher = advert.Priority > EffectivePriority
            || (advert.Priority == EffectivePriority && CompareAddresses(source, Options.PrimaryAddress) > 0);
        if (higher)
        {
            VrrpLog.HigherPriorityAdvert(_logger, Name, advert.Priority, source);
            if (Options.HigherPrioSendAdvert)
            {
                SendAdvert(EffectivePriority);
            }

            MasterAddress = source;
            MasterPriority = advert.Priority;
            if (Options.Version == VrrpVersion.V3)
            {
                MasterAdvertInterval = advert.AdvertInterval;
            }

            ChangeState(VrrpState.Backup, VrrpTransitionReason.HigherPriorityAdvert, now);
            return;
        }

        VrrpLog.ForcingNewElection(_logger, Name, advert.Priority, source);
        if (!Options.LowerPrioNoAdvert)
        {
            // keepalived compat (observed with 2.2.7): the reply restarts the advert timer.
            SendAdvert(EffectivePriority);
            _advertDue = now + Options.AdvertInterval;
        }

        int repeat = Options.GarpLowerPrioRepeat ?? Options.GarpMasterRepeat;
        if (repeat > 0)
        {
            SendGratuitous(repeat);
            TimeSpan delay = Options.GarpLowerPrioDelay ?? Options.GarpMasterDelay;
            // keepalived compat (observed): every lower-priority advert gets its own delayed burst.
            if (delay > TimeSpan.Zero && _lowerPrioBursts.Count < MaxPendingLowerPrioBursts)
            {
                _lowerPrioBursts.Enqueue(now + delay);
            }
        }

        _effects.MasterReceivedLowerPriority(source, advert.Priority);
    }

    private void CheckAddressList(VrrpAdvert advert, IPAddress source)
    {
        if (Options.SkipCheckAdvAddr && source.Equals(MasterAddress))
        {
            return;
        }

        // keepalived compat: a different list is logged and counted, and the advert is still used.
        bool same = advert.Addresses.Count == _advertisedSet.Count && advert.Addresses.All(_advertisedSet.Contains);
        if (!same)
        {
            Stats.CountAddressListError();
            VrrpLog.AddressListMismatch(_logger, Name, source, advert.Addresses.Count);
        }
    }

    /// <summary>
    /// The one place <see cref="State"/> changes: leaves the old state (priority 0 and address removal when a
    /// MASTER stops or faults), enters the new one (timers, adverts, addresses, GARP), counts, logs, notifies.
    /// </summary>
    private void ChangeState(VrrpState next, VrrpTransitionReason reason, TimeSpan now)
    {
        VrrpState old = State;
        if (old == VrrpState.Master)
        {
            if (next is VrrpState.Fault or VrrpState.Stop)
            {
                // RFC 5798 §6.4.3: announce the departure so a backup takes over after Skew_Time.
                SendAdvert(0);
            }

            if (_installable.Count > 0)
            {
                _effects.RemoveAddresses(_installable);
            }

            Stats.CountReleasedMaster();
        }

        State = next;
        WantsMaster = next == VrrpState.Master;
        LastTransition = now;
        LastTransitionReason = reason;
        // Deviation: keepalived 2.2.7 leaves delayed lower-priority bursts pending across a state change and sends
        // them if it is MASTER again when they fall due; here they end with the MASTER state that scheduled them.
        _advertDue = _masterDownDue = _garpDelayedBurstDue = _garpRefreshDue = Never;
        _lowerPrioBursts.Clear();
        _preemptAllowedAt = Never;
        VrrpLog.StateChanged(_logger, Name, next, reason, EffectivePriority);

        switch (next)
        {
            case VrrpState.Master:
                Stats.CountBecameMaster();
                MasterAdvertInterval = Options.AdvertInterval;
                MasterAddress = Options.PrimaryAddress;
                MasterPriority = EffectivePriority;
                SendAdvert(EffectivePriority);
                if (_installable.Count > 0)
                {
                    _effects.AddAddresses(_installable);
                }

                SendGratuitous(Options.GarpMasterRepeat);
                _advertDue = now + Options.AdvertInterval;
                if (Options.GarpMasterDelay > TimeSpan.Zero)
                {
                    _garpDelayedBurstDue = now + Options.GarpMasterDelay;
                }

                if (Options.GarpMasterRefresh > TimeSpan.Zero)
                {
                    _garpRefreshDue = now + Options.GarpMasterRefresh;
                }

                break;
            case VrrpState.Backup:
                if (reason != VrrpTransitionReason.HigherPriorityAdvert)
                {
                    MasterAdvertInterval = Options.AdvertInterval;
                    MasterAddress = null;
                    MasterPriority = 0;
                }

                _masterDownDue = now + MasterDownInterval;
                break;
            default:
                MasterAddress = null;
                MasterPriority = 0;
                break;
        }

        _effects.StateChanged(new VrrpStateChange(Name, old, next, EffectivePriority, reason, now));
    }

    private void SendGratuitous(int repeat)
    {
        if (repeat > 0 && _installable.Count > 0)
        {
            _effects.SendGratuitous(_installable, repeat);
        }
    }

    private void SendAdvert(int priority)
    {
        VrrpAdvert advert = _advert is { } cached && cached.Priority == priority
            ? cached
            : _advert = new VrrpAdvert(Options.Version, Options.VirtualRouterId, (byte)priority, Options.AdvertInterval, Options.VirtualAddresses)
            {
                AuthType = Options.AuthType,
            };

        for (int i = 0; i < _destinations.Count; i++)
        {
            IPAddress destination = _destinations[i];
            var context = new VrrpEncodeContext(Options.PrimaryAddress, destination) { AuthKey = _authKey, V3ChecksumAsV2 = Options.V3ChecksumAsV2 };
            ReadOnlySpan<byte> payload;
            ReadOnlySpan<byte> datagram = default;
            if (Options.Family == AddressFamily.InterNetwork)
            {
                int length = VrrpIPv4Datagram.Encode(advert, _buffer, context, ++_ipIdentification, ++_ahSequence);
                datagram = _buffer.AsSpan(0, length);
                payload = datagram[(VrrpIPv4Datagram.HeaderLength + (advert.AuthType == VrrpAuthType.Ah ? VrrpAuthHeader.Length : 0))..];
            }
            else
            {
                payload = _buffer.AsSpan(0, VrrpCodec.EncodePayload(advert, _buffer, context));
            }

            Stats.CountSent(priority);
            _effects.SendAdvert(new VrrpTransmission
            {
                Advert = advert,
                Source = Options.PrimaryAddress,
                Destination = destination,
                Payload = payload,
                IPv4Datagram = datagram,
            });
        }
    }

    /// <summary>Compares addresses as unsigned big-endian numbers (the tie-break: the higher primary address wins).</summary>
    internal static int CompareAddresses(IPAddress a, IPAddress b)
    {
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.TryWriteBytes(x, out int n);
        b.TryWriteBytes(y, out int m);
        return n != m ? n.CompareTo(m) : x[..n].SequenceCompareTo(y[..m]);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
