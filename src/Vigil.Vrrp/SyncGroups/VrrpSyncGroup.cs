using Vigil.Vrrp.Fsm;

namespace Vigil.Vrrp.SyncGroups;

/// <summary>
/// A vrrp_sync_group's bookkeeping: its members' states and faults, the group's state (for the group notify
/// scripts) and the fault every member must carry. keepalived compat: one member in FAULT puts every member in
/// FAULT; the group is MASTER only when every member is MASTER, FAULT when any is, else BACKUP.
/// </summary>
public sealed class VrrpSyncGroup
{
    private readonly Dictionary<string, VrrpState> _states;
    private readonly Dictionary<string, bool> _ownFaults;

    public VrrpSyncGroup(string name, IEnumerable<string> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        Name = name;
        _states = members.Distinct(StringComparer.Ordinal).ToDictionary(m => m, _ => VrrpState.Init, StringComparer.Ordinal);
        _ownFaults = _states.Keys.ToDictionary(m => m, _ => false, StringComparer.Ordinal);
    }

    public string Name { get; }

    public IReadOnlyCollection<string> Members => _states.Keys;

    /// <summary>The group's state (INIT until a member has started).</summary>
    public VrrpState State { get; private set; } = VrrpState.Init;

    /// <summary>True when any member's own trackers raise a fault: every member then gets SetFault(true).</summary>
    public bool Fault => _ownFaults.Values.Any(f => f);

    public bool Contains(string member) => _states.ContainsKey(member);

    /// <summary>One member's own fault (from its trackers) changed; returns the group fault to give every member.</summary>
    public bool SetMemberFault(string member, bool fault)
    {
        if (_ownFaults.ContainsKey(member))
        {
            _ownFaults[member] = fault;
        }

        return Fault;
    }

    /// <summary>A member changed state; returns the group's new state when it changed, else null.</summary>
    public VrrpState? OnMemberState(string member, VrrpState state)
    {
        if (!_states.ContainsKey(member))
        {
            return null;
        }

        _states[member] = state;
        VrrpState next = Derive();
        if (next == State)
        {
            return null;
        }

        State = next;
        return next;
    }

    // keepalived compat (observed on 2.2.7): the group enters BACKUP with its first member, before the others
    // have started, so members still in INIT do not count.
    private VrrpState Derive()
    {
        var states = _states.Values.Where(s => s != VrrpState.Init).ToList();
        if (states.Count == 0)
        {
            return VrrpState.Init;
        }

        if (states.Any(s => s == VrrpState.Stop))
        {
            return states.All(s => s is VrrpState.Stop or VrrpState.Fault) ? VrrpState.Stop : State;
        }

        if (states.Any(s => s == VrrpState.Fault))
        {
            return VrrpState.Fault;
        }

        return states.Count == _states.Count && states.All(s => s == VrrpState.Master) ? VrrpState.Master : VrrpState.Backup;
    }
}
