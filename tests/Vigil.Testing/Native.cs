using System.Runtime.InteropServices;

namespace Vigil.Testing;

/// <summary>The few POSIX calls the harness needs that .NET does not expose (signals other than KILL).</summary>
internal static partial class Native
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGUSR2 = 12;
    public const int SIGTERM = 15;
    public const int SIGSTOP = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillSyscall(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    /// <summary>Sends a signal; false when the process no longer exists (ESRCH).</summary>
    public static bool Kill(int pid, int signal)
    {
        // pid <= 0 would signal a process group or every process we may signal: never.
        if (pid <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pid), pid, "refusing to signal a process group or init");
        }
        return KillSyscall(pid, signal) == 0;
    }

    /// <summary>True when a process with this PID exists (it may be a zombie).</summary>
    public static bool Exists(int pid) => pid > 1 && Directory.Exists($"/proc/{pid}");
}
