namespace Vigil.Vrrp.Tracking;

/// <summary>The kinds of tracked objects (the config blocks they come from).</summary>
public enum VrrpTrackerKind
{
    Script,
    Interface,
    File,
    Process,
}

/// <summary>One tracked object as an instance uses it, weights already resolved (instance/group override, else the object's own).</summary>
/// <param name="Kind">What it tracks.</param>
/// <param name="Name">The object's name (script name, interface name, ...).</param>
/// <param name="Weight">Resolved weight; 0 means failure is a FAULT.</param>
/// <param name="Reverse">Resolved reverse flag.</param>
public readonly record struct VrrpTrackerBinding(VrrpTrackerKind Kind, string Name, int Weight, bool Reverse);

/// <summary>
/// The trackers of one instance and their current results: a pure aggregate that turns results into the
/// effective priority and fault the router gets. keepalived compat: an instance in a sync group (without
/// sync_group_tracking_weight) or an address owner (priority 255) drops every weighted tracker ("ignoring
/// tracked script X with weights due to SYNC group" / "due to address_owner"); only weight-0 ones remain.
/// </summary>
public sealed class VrrpTrackerSet
{
    private readonly Dictionary<(VrrpTrackerKind, string), Entry> _entries = [];

    /// <param name="basePriority">The configured priority.</param>
    /// <param name="bindings">The instance's trackers.</param>
    /// <param name="inSyncGroup">A member of a vrrp_sync_group.</param>
    /// <param name="syncGroupTrackingWeight">The group has sync_group_tracking_weight.</param>
    /// <param name="ignored">Receives each dropped binding and why ("SYNC group" or "address_owner").</param>
    public VrrpTrackerSet(int basePriority, IEnumerable<VrrpTrackerBinding> bindings, bool inSyncGroup, bool syncGroupTrackingWeight,
        Action<VrrpTrackerBinding, string>? ignored = null)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        BasePriority = basePriority;
        foreach (VrrpTrackerBinding b in bindings)
        {
            if (b.Weight != 0 && inSyncGroup && !syncGroupTrackingWeight)
            {
                ignored?.Invoke(b, "SYNC group");
                continue;
            }

            if (b.Weight != 0 && basePriority >= 255)
            {
                ignored?.Invoke(b, "address_owner");
                continue;
            }

            // keepalived compat: a tracker listed twice counts once (the last line wins).
            _entries[(b.Kind, b.Name)] = new Entry(b, Up: true, Value: 0);
        }
    }

    public int BasePriority { get; }

    /// <summary>The bindings that count, in no particular order.</summary>
    public IEnumerable<VrrpTrackerBinding> Bindings => _entries.Values.Select(e => e.Binding);

    /// <summary>True when this set uses the tracker.</summary>
    public bool Uses(VrrpTrackerKind kind, string name) => _entries.ContainsKey((kind, name));

    /// <summary>Sets one tracker's result; returns true when it changed. Unknown trackers are ignored.</summary>
    public bool Set(VrrpTrackerKind kind, string name, bool up)
    {
        if (!_entries.TryGetValue((kind, name), out Entry? e) || e.Up == up)
        {
            return false;
        }

        _entries[(kind, name)] = e with { Up = up };
        return true;
    }

    /// <summary>
    /// Sets a track_file's value; returns true when it changed. keepalived compat: the file contributes
    /// value × weight (negated with reverse); with weight 0 any non-zero value is a FAULT, and a contribution of
    /// -254 or less is a FAULT.
    /// </summary>
    public bool SetValue(string fileTracker, int value)
    {
        if (!_entries.TryGetValue((VrrpTrackerKind.File, fileTracker), out Entry? e) || e.Value == value)
        {
            return false;
        }

        _entries[(VrrpTrackerKind.File, fileTracker)] = e with { Value = value };
        return true;
    }

    /// <summary>Effective priority and fault from the current results.</summary>
    public VrrpPriorityResult Compute()
    {
        VrrpPriorityResult flags = VrrpEffectivePriority.Compute(BasePriority, _entries.Values
            .Where(e => e.Binding.Kind != VrrpTrackerKind.File)
            .Select(e => new VrrpTrackerState(e.Binding.Name, e.Binding.Weight, e.Binding.Reverse, e.Up)));
        long fileSum = 0;
        bool fault = flags.Fault;
        foreach (Entry e in _entries.Values.Where(e => e.Binding.Kind == VrrpTrackerKind.File))
        {
            if (e.Binding.Weight == 0)
            {
                fault |= e.Value != 0;
                continue;
            }

            long contribution = (long)e.Value * e.Binding.Weight * (e.Binding.Reverse ? -1 : 1);
            fault |= contribution <= -254;
            fileSum += contribution;
        }

        if (fileSum == 0 || BasePriority >= 255)
        {
            return flags with { Fault = fault };
        }

        // Recompute from the base so the clamp applies once to the whole sum.
        long unclamped = BasePriority + (VrrpEffectivePriority.Compute(BasePriority, _entries.Values
            .Where(e => e.Binding.Kind != VrrpTrackerKind.File)
            .Select(e => new VrrpTrackerState(e.Binding.Name, e.Binding.Weight, e.Binding.Reverse, e.Up)), clamp: false).Priority - BasePriority) + fileSum;
        return new VrrpPriorityResult((int)Math.Clamp(unclamped, 1, 254), fault);
    }

    private sealed record Entry(VrrpTrackerBinding Binding, bool Up, int Value);
}
