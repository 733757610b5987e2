using System.Runtime.InteropServices;

namespace Vigil.Hosting;

/// <summary>What a signal asks the daemon to do (keepalived's --signum names).</summary>
internal enum SignalFunction
{
    Stop,
    Reload,
    Data,
    Stats,
    StatsClear,
    Json,
}

/// <summary>keepalived's signal numbers, and the registrations that turn them into requests.</summary>
internal sealed class DaemonSignals : IDisposable
{
    // Linux x86-64 numbers; glibc's SIGRTMIN is 34 and SIGRTMAX 64, as keepalived sees them.
    private const int SigHup = 1, SigInt = 2, SigUsr1 = 10, SigUsr2 = 12, SigTerm = 15;
    private const int SigRtMin = 34, SigRtMax = 64;

    public static readonly IReadOnlyDictionary<SignalFunction, int> Numbers = new Dictionary<SignalFunction, int>
    {
        [SignalFunction.Stop] = SigTerm,
        [SignalFunction.Reload] = SigHup,
        [SignalFunction.Data] = SigUsr1,
        [SignalFunction.Stats] = SigUsr2,
        [SignalFunction.StatsClear] = SigRtMax - 1,
        [SignalFunction.Json] = SigRtMin + 2,
    };

    /// <summary>keepalived --signum=NAME: the number for a function name, or null if unknown.</summary>
    public static int? NumberOf(string name) => name.ToUpperInvariant() switch
    {
        "STOP" => Numbers[SignalFunction.Stop],
        "RELOAD" => Numbers[SignalFunction.Reload],
        "DATA" => Numbers[SignalFunction.Data],
        "STATS" => Numbers[SignalFunction.Stats],
        "STATS_CLEAR" => Numbers[SignalFunction.StatsClear],
        "JSON" => Numbers[SignalFunction.Json],
        _ => null,
    };

    private readonly List<PosixSignalRegistration> _registrations = [];

    public DaemonSignals(Action<SignalFunction> onSignal)
    {
        Register(SigInt, SignalFunction.Stop, onSignal);
        foreach (var (function, number) in Numbers)
        {
            Register(number, function, onSignal);
        }
    }

    private void Register(int number, SignalFunction function, Action<SignalFunction> onSignal) =>
        _registrations.Add(PosixSignalRegistration.Create((PosixSignal)number, context =>
        {
            // The runtime's default for TERM/INT would end the process; the daemon stops itself instead.
            context.Cancel = true;
            onSignal(function);
        }));

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
