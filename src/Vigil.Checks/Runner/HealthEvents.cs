namespace Vigil.Checks.Runner;

/// <summary>Names a real server inside a virtual server; the executable chooses the strings.</summary>
public readonly record struct RealServerId(string VirtualServer, string RealServer)
{
    public override string ToString() => $"{RealServer} of {VirtualServer}";
}

/// <summary>What the health core tells the rest of Vigil; one writer, in order.</summary>
public abstract record HealthEvent(RealServerId Server);

/// <summary>All checkers of the real server pass again.</summary>
public sealed record RealServerUp(RealServerId Server, int Weight) : HealthEvent(Server);

/// <summary>A checker went DOWN, so the real server is no longer alive.</summary>
public sealed record RealServerDown(RealServerId Server, string Checker, string Reason) : HealthEvent(Server);

/// <summary>misc_dynamic or FILE_CHECK changed the effective weight.</summary>
public sealed record WeightChanged(RealServerId Server, int OldWeight, int NewWeight) : HealthEvent(Server);

/// <summary>A failure that did not (yet) change the state: a retry, or any failure with log_all_failures.</summary>
public sealed record CheckFailed(RealServerId Server, string Checker, string Reason, bool WillRetry) : HealthEvent(Server);

/// <summary>One checker changed state (several checkers may be DOWN while the server is already down).</summary>
public sealed record CheckerStateChanged(RealServerId Server, string Checker, bool IsUp, string? Reason) : HealthEvent(Server);
