using System.Runtime.InteropServices;

namespace Vigil.Linux.Nftables;

/// <summary>
/// Bindings to libnftables (libnftables1), the library behind nft(8): one context, JSON in and out
/// (libnftables-json(5)). No shelling out to nft.
/// </summary>
internal static partial class LibNftables
{
    internal const string Name = "libnftables.so.1";

    /// <summary>NFT_CTX_DEFAULT.</summary>
    internal const uint ContextDefault = 0;

    /// <summary>NFT_CTX_OUTPUT_HANDLE: print rule handles.</summary>
    internal const uint OutputHandle = 1u << 3;

    /// <summary>NFT_CTX_OUTPUT_JSON: JSON output, and (libnftables 1.0.x) JSON input is tried first.</summary>
    internal const uint OutputJson = 1u << 4;

    [LibraryImport(Name, EntryPoint = "nft_ctx_new")]
    internal static partial nint CtxNew(uint flags);

    [LibraryImport(Name, EntryPoint = "nft_ctx_free")]
    internal static partial void CtxFree(nint ctx);

    [LibraryImport(Name, EntryPoint = "nft_ctx_output_set_flags")]
    internal static partial void OutputSetFlags(nint ctx, uint flags);

    [LibraryImport(Name, EntryPoint = "nft_ctx_buffer_output")]
    internal static partial int BufferOutput(nint ctx);

    [LibraryImport(Name, EntryPoint = "nft_ctx_buffer_error")]
    internal static partial int BufferError(nint ctx);

    /// <summary>The buffered output since the last call; owned by the context.</summary>
    [LibraryImport(Name, EntryPoint = "nft_ctx_get_output_buffer")]
    internal static partial nint GetOutputBuffer(nint ctx);

    [LibraryImport(Name, EntryPoint = "nft_ctx_get_error_buffer")]
    internal static partial nint GetErrorBuffer(nint ctx);

    /// <summary>Runs one buffer of commands as one transaction; 0 on success.</summary>
    [LibraryImport(Name, EntryPoint = "nft_run_cmd_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RunCmdFromBuffer(nint ctx, string buffer);
}
