using Vigil.Vrrp.Fsm;

namespace Vigil.Vrrp.SyncGroups;

/// <summary>
/// A vrrp_sync_group: its members' states and faults, the group's state (for the group notify scripts), the
/// fault every member must carry, and (once routers are attached) the rules that make the members move together.
/// keepalived compat (2.2.7 vrrp_sync.c, observed): one member in FAULT puts every member in FAULT; a member whose
/// master down timer runs out is held in BACKUP until every other member wants MASTER too, and a member becoming
/// MASTER pulls the others to MASTER; a member leaving MASTER for BACKUP pulls the other masters to BACKUP (no
/// priority-0 advert). The group is MASTER only when every member is MASTER, FAULT when any is, else BACKUP.
/// </summary>
public sealed class VrrpSyncGroup : IVrrpTakeoverGate
{
    private readonly Dictionary<string, VrrpState> _states;
    private readonly Dictionary<string, bool> _ownFaults;
    private readonly Dictionary<string, VrrpRouter> _routers = new(StringComparer.Ordinal);
    private bool _synchronizing;

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

    /// <summary>Joins a member's router: the group becomes its <see cref="VrrpRouter.TakeoverGate"/>. Unknown names are ignored.</summary>
    public void Attach(VrrpRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        if (!_states.ContainsKey(router.Name))
        {
            return;
        }

        _routers[router.Name] = router;
        router.TakeoverGate = this;
    }

    /// <summary>Leaves a member's router out of the group's decisions (stopped or replaced).</summary>
    public void Detach(VrrpRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        if (_routers.TryGetValue(router.Name, out VrrpRouter? current) && ReferenceEquals(current, router))
        {
            _routers.Remove(router.Name);
            if (ReferenceEquals(router.TakeoverGate, this))
            {
                router.TakeoverGate = null;
            }
        }
    }

    /// <summary>keepalived compat (vrrp_sync_can_goto_master): yes when the group is MASTER already, or every other
    /// attached member wants MASTER (its own timer ran out, or it is MASTER).</summary>
    public bool MayBecomeMaster(VrrpRouter router) =>
        State == VrrpState.Master || _routers.Values.All(r => ReferenceEquals(r, router) || r.WantsMaster);

    /// <summary>
    /// After a member's state change (call it from that member's <see cref="IVrrpEffects.StateChanged"/>, after
    /// <see cref="OnMemberState"/>): a member that became MASTER pulls the BACKUP members to MASTER; a member that
    /// went from MASTER to BACKUP pulls the MASTER members to BACKUP. The pulled members' own state changes come
    /// back here re-entrantly and are ignored.
    /// </summary>
    public void Synchronize(VrrpStateChange change, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (_synchronizing || !_routers.ContainsKey(change.Name))
        {
            return;
        }

        bool toMaster = change.NewState == VrrpState.Master;
        bool toBackup = change.OldState == VrrpState.Master && change.NewState == VrrpState.Backup;
        if (!toMaster && !toBackup)
        {
            return;
        }

        _synchronizing = true;
        try
        {
            foreach (VrrpRouter member in _routers.Values.ToList())
            {
                if (member.Name == change.Name)
                {
                    continue;
                }

                if (toMaster)
                {
                    member.ForceMaster(now);
                }
                else
                {
                    member.ForceBackup(now);
                }
            }
        }
        finally
        {
            _synchronizing = false;
        }
    }

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
