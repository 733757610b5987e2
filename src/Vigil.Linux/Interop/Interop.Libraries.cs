namespace Vigil.Linux;

internal static partial class Interop
{
    /// <summary>Thin bindings to libc, one syscall per file, in the style of dotnet/runtime's Interop.Sys.</summary>
    internal static partial class Libc
    {
        internal const string Name = "libc";
    }
}
