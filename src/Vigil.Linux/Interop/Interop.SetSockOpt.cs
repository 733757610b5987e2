using System.Runtime.InteropServices;

namespace Vigil.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>setsockopt(2).</summary>
        [LibraryImport(Name, EntryPoint = "setsockopt", SetLastError = true)]
        internal static unsafe partial int SetSockOpt(SafeHandle socket, int level, int name, void* value, uint valueLength);
    }
}
