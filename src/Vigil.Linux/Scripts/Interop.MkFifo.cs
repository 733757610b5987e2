using System.Runtime.InteropServices;

namespace Vigil.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>mkfifo(3): creates a named pipe (notify_fifo when it does not exist yet).</summary>
        [LibraryImport(Name, EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int MkFifo(string path, uint mode);
    }
}
