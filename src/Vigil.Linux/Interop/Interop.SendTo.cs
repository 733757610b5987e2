using System.Runtime.InteropServices;

namespace Vigil.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>sendto(2); a null address sends to the connected or default peer (the kernel, for netlink).</summary>
        [LibraryImport(Name, EntryPoint = "sendto", SetLastError = true)]
        internal static unsafe partial nint SendTo(SafeHandle socket, byte* buffer, nuint length, int flags, byte* address, uint addressLength);
    }
}
