using System.Runtime.InteropServices;

namespace Vigil.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>sendmsg(2), for a per-datagram source address through IP_PKTINFO / IPV6_PKTINFO ancillary data.</summary>
        [LibraryImport(Name, EntryPoint = "sendmsg", SetLastError = true)]
        internal static unsafe partial nint SendMsg(SafeHandle socket, MsgHdr* message, int flags);
    }
}
