using System.Runtime.InteropServices;

namespace Vigil.Testing;

/// <summary>
/// Live labs of this process, torn down synchronously if the process exits or is interrupted
/// (SIGINT, SIGTERM, SIGHUP, SIGQUIT) before the tests dispose them.
/// </summary>
internal static class LabRegistry
{
    private static readonly Lock s_lock = new();
    private static readonly HashSet<Lab> s_live = [];
    private static readonly List<PosixSignalRegistration> s_signals = [];
    private static bool s_hooked;

    public static void Register(Lab lab)
    {
        lock (s_lock)
        {
            s_live.Add(lab);
            if (s_hooked)
            {
                return;
            }
            s_hooked = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => TearDownAll("process exit");
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            {
                // The handler does not cancel the signal: the default action (termination) follows the cleanup.
                s_signals.Add(PosixSignalRegistration.Create(signal, context => TearDownAll(context.Signal.ToString())));
            }
        }
    }

    public static void Unregister(Lab lab)
    {
        lock (s_lock)
        {
            s_live.Remove(lab);
        }
    }

    private static void TearDownAll(string reason)
    {
        Lab[] labs;
        lock (s_lock)
        {
            labs = [.. s_live];
        }
        foreach (var lab in labs)
        {
            lab.Log.Write($"{reason}: tearing the lab down");
            lab.TearDownNow();
        }
    }
}
