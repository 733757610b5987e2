using System.Net.Sockets;
using static Vigil.Linux.Interop.Constants;

namespace Vigil.Linux.Sockets;

/// <summary>
/// Socket options a health check asks for before it connects: bind_if (SO_BINDTODEVICE) and fwmark
/// (SO_MARK), as keepalived applies them to its checker sockets.
/// </summary>
public static class CheckerSocketOptions
{
    /// <summary>Applies <paramref name="bindInterface"/> and <paramref name="mark"/> (either may be null).</summary>
    /// <exception cref="KernelException">The kernel refused (no such device, or no CAP_NET_ADMIN for SO_MARK).</exception>
    public static void Apply(Socket socket, string? bindInterface, uint? mark)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (bindInterface is { Length: > 0 } name)
        {
            SocketCalls.BindToDevice(socket.SafeHandle, name);
        }
        if (mark is { } m)
        {
            SocketCalls.SetInt(socket.SafeHandle, SOL_SOCKET, SO_MARK, unchecked((int)m), FormattableString.Invariant($"SO_MARK {m}"));
        }
    }
}
