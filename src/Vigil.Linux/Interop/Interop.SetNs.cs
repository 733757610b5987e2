using System.Runtime.InteropServices;

namespace Vigil.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int CLONE_NEWNET = 0x40000000;

        /// <summary>setns(2): moves the calling thread (only it) into the namespace the descriptor names.</summary>
        [LibraryImport(Name, EntryPoint = "setns", SetLastError = true)]
        internal static partial int SetNs(SafeHandle namespaceDescriptor, int namespaceType);
    }
}
