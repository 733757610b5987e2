using System.Runtime.InteropServices;

namespace Vigil.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>recvmsg(2), for the source address, ancillary data and MSG_TRUNC.</summary>
        [LibraryImport(Name, EntryPoint = "recvmsg", SetLastError = true)]
        internal static unsafe partial nint RecvMsg(SafeHandle socket, MsgHdr* message, int flags);

        /// <summary>struct msghdr (LP64 layout).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct MsgHdr
        {
            public void* Name;
            public uint NameLength;
            public IoVec* Iov;
            public nuint IovLength;
            public void* Control;
            public nuint ControlLength;
            public int Flags;
        }

        /// <summary>struct iovec.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct IoVec
        {
            public void* Base;
            public nuint Length;
        }

        /// <summary>struct cmsghdr (LP64 layout: the length is a size_t).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct CMsgHdr
        {
            public nuint Length;
            public int Level;
            public int Type;
        }
    }
}
