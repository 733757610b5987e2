namespace Vigil.Checks.Runner;

/// <summary>
/// The live health of one real server: alive only if all its checkers are UP (ipwrapper.c), and an
/// effective weight moved by misc_dynamic and FILE_CHECK. Not thread-safe: one writer (the runner).
/// </summary>
public sealed class RealServerHealth
{
    private readonly CheckerState[] _checkers;
    private readonly int?[] _dynamicWeights;
    private readonly long[] _adjustments;

    public RealServerHealth(RealServerId id, int configuredWeight, IReadOnlyList<CheckerState> checkers)
    {
        ArgumentNullException.ThrowIfNull(checkers);
        Id = id;
        ConfiguredWeight = configuredWeight;
        _checkers = [.. checkers];
        _dynamicWeights = new int?[_checkers.Length];
        _adjustments = new long[_checkers.Length];
        IsAlive = _checkers.All(c => c.IsUp);
        Weight = configuredWeight;
    }

    public RealServerId Id { get; }

    public int ConfiguredWeight { get; }

    public bool IsAlive { get; private set; }

    /// <summary>The weight the data plane should use while alive.</summary>
    public int Weight { get; private set; }

    public IReadOnlyList<CheckerState> Checkers => _checkers;

    /// <summary>Applies the result of checker <paramref name="index"/> and returns the events, in order.</summary>
    public IReadOnlyList<HealthEvent> Apply(int index, CheckResult result, out TimeSpan nextDelay)
    {
        var checker = _checkers[index];
        var step = checker.Apply(result);
        nextDelay = step.NextDelay;
        var events = new List<HealthEvent>(2);

        if (!result.Success && !step.Changed && (step.WillRetry || checker.Timing.LogAllFailures))
        {
            events.Add(new CheckFailed(Id, checker.Name, checker.LastFailure!, step.WillRetry));
        }
        if (step.Changed)
        {
            events.Add(new CheckerStateChanged(Id, checker.Name, checker.IsUp, checker.IsUp ? null : checker.LastFailure));
        }

        if (result.Success && !result.Pending)
        {
            if (result.DynamicWeight is { } dynamic) _dynamicWeights[index] = dynamic;
            if (result.WeightAdjustment is { } adjustment) _adjustments[index] = adjustment;
            var weight = ComputeWeight();
            if (weight != Weight)
            {
                events.Add(new WeightChanged(Id, Weight, weight));
                Weight = weight;
            }
        }

        var alive = _checkers.All(c => c.IsUp);
        if (alive != IsAlive)
        {
            IsAlive = alive;
            events.Add(alive ? new RealServerUp(Id, Weight) : new RealServerDown(Id, checker.Name, checker.LastFailure!));
        }
        return events;
    }

    /// <summary>
    /// keepalived compat: each misc_dynamic checker adds (code - 2 - configured weight), so with one such
    /// checker the weight is code - 2; FILE_CHECK adds value x weight. Never below zero.
    /// </summary>
    private int ComputeWeight()
    {
        long weight = ConfiguredWeight;
        for (var i = 0; i < _checkers.Length; i++)
        {
            if (_dynamicWeights[i] is { } w) weight += w - ConfiguredWeight;
            weight += _adjustments[i];
        }
        return (int)Math.Clamp(weight, 0, int.MaxValue);
    }
}
