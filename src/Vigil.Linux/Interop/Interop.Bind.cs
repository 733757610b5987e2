using System.Runtime.InteropServices;

namespace Vigil.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>bind(2) with a raw sockaddr of any family.</summary>
        [LibraryImport(Name, EntryPoint = "bind", SetLastError = true)]
        internal static unsafe partial int Bind(SafeHandle socket, byte* address, uint addressLength);
    }
}
