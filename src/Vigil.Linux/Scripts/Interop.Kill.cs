using System.Runtime.InteropServices;

namespace Vigil.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int SIGTERM = 15;

        /// <summary>kill(2): sends a signal to a process (the script runner's TERM before KILL).</summary>
        [LibraryImport(Name, EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int signal);
    }
}
