using System.Runtime.InteropServices;
using Vigil.Linux.Namespaces;

namespace Vigil.Linux.Nftables;

/// <summary>
/// One libnftables context in one network namespace. Every call runs on the namespace's thread (the
/// library opens its netlink socket in the caller's namespace) and under a lock (a context is not
/// thread-safe).
/// </summary>
public sealed class NftablesContext : IDisposable
{
    private readonly NetworkNamespace? _namespace;
    private readonly Lock _gate = new();
    private nint _ctx;

    /// <param name="networkNamespace">The namespace to program, or null for the caller's.</param>
    public NftablesContext(NetworkNamespace? networkNamespace = null)
    {
        _namespace = networkNamespace;
        try
        {
            _ctx = NetworkNamespace.Within(_namespace, static () => LibNftables.CtxNew(LibNftables.ContextDefault));
        }
        catch (DllNotFoundException e)
        {
            throw new KernelException("libnftables.so.1 is not installed (apt-get install libnftables1)", e);
        }
        if (_ctx == 0) throw new KernelException("nft_ctx_new failed");
        LibNftables.OutputSetFlags(_ctx, LibNftables.OutputJson | LibNftables.OutputHandle);
        if (LibNftables.BufferOutput(_ctx) != 0 || LibNftables.BufferError(_ctx) != 0)
        {
            LibNftables.CtxFree(_ctx);
            throw new KernelException("libnftables could not buffer its output");
        }
    }

    /// <summary>Whether libnftables can be loaded on this machine.</summary>
    public static bool IsAvailable => NativeLibrary.TryLoad(LibNftables.Name, out var h) && Free(h);

    /// <summary>
    /// Runs a JSON command document (libnftables-json(5)) as one atomic transaction and returns the JSON
    /// output (empty for commands that print nothing). Throws <see cref="KernelException"/> with nft's message.
    /// </summary>
    public string Run(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_ctx == 0, this);
            var ctx = _ctx;
            var (rc, output, error) = NetworkNamespace.Within(_namespace, () =>
            {
                var r = LibNftables.RunCmdFromBuffer(ctx, json);
                return (r, Marshal.PtrToStringUTF8(LibNftables.GetOutputBuffer(ctx)) ?? "", Marshal.PtrToStringUTF8(LibNftables.GetErrorBuffer(ctx)) ?? "");
            });
            if (rc != 0) throw new KernelException($"nftables transaction failed: {error.Trim()}");
            return output;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_ctx == 0) return;
            LibNftables.CtxFree(_ctx);
            _ctx = 0;
        }
    }

    private static bool Free(nint handle)
    {
        NativeLibrary.Free(handle);
        return true;
    }
}
