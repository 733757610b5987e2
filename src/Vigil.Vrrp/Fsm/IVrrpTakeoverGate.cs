namespace Vigil.Vrrp.Fsm;

/// <summary>
/// Asked by a BACKUP router whose master down timer ran out, before it becomes MASTER (a sync group: the member
/// may take over only when every other member wants MASTER too). Called on the router's loop.
/// </summary>
public interface IVrrpTakeoverGate
{
    /// <summary>True when <paramref name="router"/> may become MASTER now; false holds it in BACKUP.</summary>
    bool MayBecomeMaster(VrrpRouter router);
}
