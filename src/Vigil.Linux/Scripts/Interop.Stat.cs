using System.Runtime.InteropServices;

namespace Vigil.Linux;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>stat(2) (glibc 2.33+ exports it as a function), into a buffer larger than any struct stat.</summary>
        [LibraryImport(Name, EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static unsafe partial int Stat(string path, byte* buffer);
    }
}
