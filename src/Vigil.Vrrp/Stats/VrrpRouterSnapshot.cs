using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp.Stats;

/// <summary>What status output and the JSON dump show of one router.</summary>
/// <param name="Name">iname.</param>
/// <param name="VirtualRouterId">vrid.</param>
/// <param name="Version">VRRP version.</param>
/// <param name="State">Current state.</param>
/// <param name="Fault">True while a fault is raised (the router may still be STOP or INIT).</param>
/// <param name="BasePriority">Configured priority.</param>
/// <param name="EffectivePriority">Priority after trackers.</param>
/// <param name="MasterPriority">Priority in the last advert accepted from the master (ours when MASTER).</param>
/// <param name="MasterAddress">Address of the current master, if known.</param>
/// <param name="AdvertInterval">Our advert_int.</param>
/// <param name="MasterAdvertInterval">The master's interval (v3 backups adopt it).</param>
/// <param name="LastTransition">Monotonic time of the last state change.</param>
/// <param name="LastTransitionReason">Why it changed.</param>
/// <param name="Stats">Counters.</param>
public sealed record VrrpRouterSnapshot(
    string Name,
    byte VirtualRouterId,
    VrrpVersion Version,
    VrrpState State,
    bool Fault,
    int BasePriority,
    int EffectivePriority,
    int MasterPriority,
    string? MasterAddress,
    TimeSpan AdvertInterval,
    TimeSpan MasterAdvertInterval,
    TimeSpan LastTransition,
    VrrpTransitionReason? LastTransitionReason,
    VrrpRouterStatsSnapshot Stats);
