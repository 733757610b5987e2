using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Vigil.Linux.Scripts;

/// <summary>Owner, group and mode bits of a file, as stat(2) reports them (symlinks followed).</summary>
public readonly record struct FileOwnership(uint Uid, uint Gid, uint Mode)
{
    private const uint S_IFMT = 0xF000;
    private const uint S_IFDIR = 0x4000;

    public bool IsDirectory => (Mode & S_IFMT) == S_IFDIR;

    /// <summary>stat(2) of <paramref name="path"/>; null with the errno text in <paramref name="error"/> when it fails.</summary>
    public static unsafe FileOwnership? Get(string path, out string? error)
    {
        byte* buffer = stackalloc byte[256];
        if (Interop.Libc.Stat(path, buffer) != 0)
        {
            error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            return null;
        }

        error = null;
        var span = new ReadOnlySpan<byte>(buffer, 256);
        // struct stat layout differs: x86_64 has a 64-bit st_nlink before st_mode; the generic (arm64) layout
        // has st_mode then a 32-bit st_nlink.
        return RuntimeInformation.ProcessArchitecture == Architecture.X64
            ? new FileOwnership(BinaryPrimitives.ReadUInt32LittleEndian(span[28..]), BinaryPrimitives.ReadUInt32LittleEndian(span[32..]), BinaryPrimitives.ReadUInt32LittleEndian(span[24..]))
            : new FileOwnership(BinaryPrimitives.ReadUInt32LittleEndian(span[24..]), BinaryPrimitives.ReadUInt32LittleEndian(span[28..]), BinaryPrimitives.ReadUInt32LittleEndian(span[16..]));
    }
}
