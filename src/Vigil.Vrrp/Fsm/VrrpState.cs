namespace Vigil.Vrrp.Fsm;

/// <summary>Router states; the numbers are keepalived's JSON state codes.</summary>
public enum VrrpState
{
    /// <summary>Created, not started [RFC 5798 §6.4.1].</summary>
    Init = 0,

    /// <summary>Watching the master; takes over when the master down timer fires.</summary>
    Backup = 1,

    /// <summary>Owns the virtual addresses and advertises.</summary>
    Master = 2,

    /// <summary>Held down by a failed tracker or interface; sends nothing.</summary>
    Fault = 3,

    /// <summary>Shut down.</summary>
    Stop = 98,
}

/// <summary>Why a state change happened (logged, passed to notify, kept in the snapshot).</summary>
public enum VrrpTransitionReason
{
    /// <summary>Start: enter BACKUP and wait the full master down interval.</summary>
    Startup,

    /// <summary>Priority 255 with state MASTER: master at once.</summary>
    AddressOwner,

    /// <summary>No advert from a master for Master_Down_Interval (or skew time after priority 0).</summary>
    MasterDownTimerExpired,

    /// <summary>MASTER saw an advert of higher priority, or equal priority from a higher address.</summary>
    HigherPriorityAdvert,

    /// <summary><see cref="VrrpRouter.SetFault"/>(true).</summary>
    FaultRaised,

    /// <summary><see cref="VrrpRouter.SetFault"/>(false).</summary>
    FaultCleared,

    /// <summary><see cref="VrrpRouter.Stop"/>.</summary>
    Stopped,

    /// <summary>Pulled along by another member of the sync group (<see cref="VrrpRouter.ForceMaster"/>, <see cref="VrrpRouter.ForceBackup"/>).</summary>
    SyncGroup,
}

/// <summary>One state change, as given to <see cref="IVrrpEffects.StateChanged"/>.</summary>
/// <param name="Name">Instance name.</param>
/// <param name="OldState">State before.</param>
/// <param name="NewState">State after.</param>
/// <param name="Priority">Effective priority at the time (what notify scripts get as their 4th argument).</param>
/// <param name="Reason">Why.</param>
/// <param name="At">Monotonic time of the change.</param>
public sealed record VrrpStateChange(string Name, VrrpState OldState, VrrpState NewState, int Priority, VrrpTransitionReason Reason, TimeSpan At);
