using Vigil.Checks.Runner;

namespace Vigil.Checks.Quorum;

/// <summary>The settings of one virtual server that decide membership and quorum.</summary>
/// <param name="Name">The virtual server, as it appears in events.</param>
/// <param name="Quorum">quorum (1): minimum sum of live weights.</param>
/// <param name="Hysteresis">hysteresis (0).</param>
/// <param name="HasSorryServer">sorry_server is set.</param>
/// <param name="SorryServerWeight">weight given to the sorry server while it serves.</param>
/// <param name="SorryServerInhibit">sorry_server_inhibit: keep the idle sorry server at weight 0.</param>
public sealed record QuorumOptions(
    string Name,
    int Quorum = 1,
    int Hysteresis = 0,
    bool HasSorryServer = false,
    int SorryServerWeight = 1,
    bool SorryServerInhibit = false);

/// <summary>One real server as the virtual server sees it.</summary>
/// <param name="InhibitOnFailure">inhibit_on_failure: a dead server stays with weight 0 instead of being removed.</param>
public readonly record struct MemberStatus(RealServerId Id, bool Alive, int Weight, bool InhibitOnFailure = false);

/// <summary>A member the data plane should hold, with its weight. <see cref="Id"/> null is the sorry server.</summary>
public readonly record struct DesiredMember(RealServerId? Id, int Weight)
{
    public bool IsSorryServer => Id is null;
}

public abstract record QuorumEvent(string VirtualServer);

/// <summary>Quorum gained: run quorum_up, FIFO "VS ... UP".</summary>
public sealed record QuorumUp(string VirtualServer, int LiveWeight) : QuorumEvent(VirtualServer);

/// <summary>Quorum lost: run quorum_down, FIFO "VS ... DOWN".</summary>
public sealed record QuorumDown(string VirtualServer, int LiveWeight) : QuorumEvent(VirtualServer);

/// <summary>The sorry server starts or stops serving.</summary>
public sealed record SorryServerChanged(string VirtualServer, bool Active) : QuorumEvent(VirtualServer);

/// <summary>
/// Quorum with hysteresis and the sorry server for one virtual server (keepalived.md §4,
/// update_quorum_state), pure: give it the members' status, get events and the desired members.
/// </summary>
public sealed class VirtualServerQuorum
{
    private readonly QuorumOptions _options;

    public VirtualServerQuorum(QuorumOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>keepalived compat: a virtual server starts with quorum; the first update may take it away.</summary>
    public bool HasQuorum { get; private set; } = true;

    public bool SorryServerActive { get; private set; }

    public int LiveWeight { get; private set; }

    /// <summary>Re-evaluates quorum; returns the events and what the data plane should hold.</summary>
    public IReadOnlyList<QuorumEvent> Update(IReadOnlyCollection<MemberStatus> members, out IReadOnlyList<DesiredMember> desired)
    {
        ArgumentNullException.ThrowIfNull(members);
        var events = new List<QuorumEvent>(2);
        var total = members.Sum(m => (long)m.Weight);
        LiveWeight = (int)Math.Min(int.MaxValue, members.Where(m => m.Alive).Sum(m => (long)m.Weight));

        // keepalived compat: quorum is capped at the total weight, hysteresis at quorum - 1.
        var quorum = (int)Math.Max(1, Math.Min(_options.Quorum, Math.Max(total, 1)));
        var hysteresis = Math.Clamp(_options.Hysteresis, 0, quorum - 1);

        if (!HasQuorum && LiveWeight >= quorum + hysteresis)
        {
            HasQuorum = true;
            events.Add(new QuorumUp(_options.Name, LiveWeight));
        }
        else if (HasQuorum && (LiveWeight == 0 || LiveWeight < quorum - hysteresis))
        {
            HasQuorum = false;
            events.Add(new QuorumDown(_options.Name, LiveWeight));
        }

        var sorry = _options.HasSorryServer && !HasQuorum;
        if (sorry != SorryServerActive)
        {
            SorryServerActive = sorry;
            events.Add(new SorryServerChanged(_options.Name, sorry));
        }

        var list = new List<DesiredMember>(members.Count + 1);
        foreach (var m in members)
        {
            // With the sorry server serving, every real server leaves (or idles at 0 if inhibited).
            if (m.Alive && !SorryServerActive) list.Add(new(m.Id, m.Weight));
            else if (m.InhibitOnFailure) list.Add(new(m.Id, 0));
        }
        if (SorryServerActive) list.Add(new(null, _options.SorryServerWeight));
        else if (_options.HasSorryServer && _options.SorryServerInhibit) list.Add(new(null, 0));
        desired = list;
        return events;
    }
}
