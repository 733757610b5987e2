namespace Vigil.Vrrp.Tracking;

/// <summary>
/// A vrrp_script's up/down state from its run results: while up, <c>fall</c> consecutive failures take it down;
/// while down, <c>rise</c> consecutive successes bring it up. keepalived compat: a script starts up, or down with
/// <c>init_fail</c>.
/// </summary>
public sealed class VrrpRiseFall
{
    private readonly int _rise;
    private readonly int _fall;
    private int _streak;

    public VrrpRiseFall(int rise, int fall, bool initFail)
    {
        _rise = Math.Max(1, rise);
        _fall = Math.Max(1, fall);
        Up = !initFail;
    }

    /// <summary>The tracker's current result.</summary>
    public bool Up { get; private set; }

    /// <summary>Adds one run's result; returns true when <see cref="Up"/> changed.</summary>
    public bool Record(bool success)
    {
        if (success == Up)
        {
            _streak = 0;
            return false;
        }

        _streak++;
        if (_streak < (Up ? _fall : _rise))
        {
            return false;
        }

        _streak = 0;
        Up = success;
        return true;
    }
}
