namespace Vigil.Vrrp.Tracking;

/// <summary>One tracked object's contribution (track_script, track_interface, track_file, track_process, track_bfd).</summary>
/// <param name="Name">Tracker name, for logs.</param>
/// <param name="Weight">weight: -254..254; 0 means "failure is a FAULT".</param>
/// <param name="Reverse">weight ... reverse: the tracker counts as failed while it is up.</param>
/// <param name="Up">The tracker's current result (script succeeded, interface up, ...).</param>
public readonly record struct VrrpTrackerState(string Name, int Weight, bool Reverse, bool Up);

/// <summary>The effective priority and fault of an instance from its trackers.</summary>
/// <param name="Priority">What <see cref="Fsm.VrrpRouter.SetPriority"/> gets.</param>
/// <param name="Fault">What <see cref="Fsm.VrrpRouter.SetFault"/> gets.</param>
public readonly record struct VrrpPriorityResult(int Priority, bool Fault);

/// <summary>keepalived's priority arithmetic (vrrp_set_effective_priority, observed rules in keepalived.md §3).</summary>
public static class VrrpEffectivePriority
{
    /// <summary>
    /// Effective = base + the weights of the trackers that apply, clamped to 1..254 (trackers can never reach
    /// 255). A positive weight applies while its tracker is up, a negative one while it is down; reverse swaps
    /// up and down. A weight-0 tracker that is down (or up, with reverse) is a FAULT. An address owner (base
    /// 255) keeps 255: keepalived compat, owners take only weight-0 trackers.
    /// </summary>
    public static VrrpPriorityResult Compute(int basePriority, IEnumerable<VrrpTrackerState> trackers) => Compute(basePriority, trackers, clamp: true);

    /// <summary>As <see cref="Compute(int, IEnumerable{VrrpTrackerState})"/>; without <paramref name="clamp"/> the raw sum (for callers adding more terms).</summary>
    public static VrrpPriorityResult Compute(int basePriority, IEnumerable<VrrpTrackerState> trackers, bool clamp)
    {
        ArgumentNullException.ThrowIfNull(trackers);
        int sum = 0;
        bool fault = false;
        foreach (VrrpTrackerState t in trackers)
        {
            bool up = t.Up != t.Reverse;
            if (t.Weight == 0)
            {
                fault |= !up;
            }
            else if ((t.Weight > 0) == up)
            {
                sum += t.Weight;
            }
        }

        int priority = basePriority >= 255 ? 255 : clamp ? Math.Clamp(basePriority + sum, 1, 254) : basePriority + sum;
        return new VrrpPriorityResult(priority, fault);
    }
}
