using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using static Vigil.Linux.Interop.Constants;

namespace Vigil.Linux;

/// <summary>
/// The error-handling shell around the raw bindings: descriptors become SafeHandles, -1 becomes a
/// <see cref="KernelException"/>, and EINTR is retried (bounded, since a signal storm is the only way to loop).
/// </summary>
internal static class SocketCalls
{
    private const int MaxInterruptRetries = 100;

    public static SafeSocketHandle Create(int domain, int type, int protocol, string what)
    {
        var fd = Interop.Libc.Socket(domain, type | SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw KernelException.FromLastError($"socket({what})");
        }
        return new SafeSocketHandle(fd, ownsHandle: true);
    }

    public static unsafe void SetInt(SafeHandle socket, int level, int name, int value, string what)
    {
        if (Interop.Libc.SetSockOpt(socket, level, name, &value, sizeof(int)) != 0)
        {
            throw KernelException.FromLastError($"setsockopt({what})");
        }
    }

    public static unsafe void SetBytes(SafeHandle socket, int level, int name, ReadOnlySpan<byte> value, string what)
    {
        fixed (byte* p = value)
        {
            if (Interop.Libc.SetSockOpt(socket, level, name, p, (uint)value.Length) != 0)
            {
                throw KernelException.FromLastError($"setsockopt({what})");
            }
        }
    }

    public static void BindToDevice(SafeHandle socket, string interfaceName)
    {
        Span<byte> name = stackalloc byte[Encoding.UTF8.GetMaxByteCount(interfaceName.Length) + 1];
        var length = Encoding.UTF8.GetBytes(interfaceName, name);
        name[length] = 0;
        SetBytes(socket, SOL_SOCKET, SO_BINDTODEVICE, name[..(length + 1)], $"SO_BINDTODEVICE {interfaceName}");
    }

    public static unsafe void Bind(SafeHandle socket, ReadOnlySpan<byte> socketAddress, string what)
    {
        fixed (byte* p = socketAddress)
        {
            if (Interop.Libc.Bind(socket, p, (uint)socketAddress.Length) != 0)
            {
                throw KernelException.FromLastError($"bind({what})");
            }
        }
    }

    /// <summary>sendto(2) retried on EINTR; throws on any other error, EAGAIN included.</summary>
    public static unsafe int SendTo(SafeHandle socket, ReadOnlySpan<byte> data, ReadOnlySpan<byte> socketAddress, int flags, string what)
    {
        fixed (byte* buffer = data)
        fixed (byte* address = socketAddress)
        {
            for (var attempt = 0; ; attempt++)
            {
                var sent = Interop.Libc.SendTo(socket, buffer, (nuint)data.Length, flags, socketAddress.IsEmpty ? null : address, (uint)socketAddress.Length);
                if (sent >= 0)
                {
                    return (int)sent;
                }
                var errno = (Errno)Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR || attempt >= MaxInterruptRetries)
                {
                    throw new KernelException(errno, $"sendto({what})");
                }
            }
        }
    }

    /// <summary>sendmsg(2) retried on EINTR; throws on any other error, EAGAIN included.</summary>
    public static unsafe int SendMsg(SafeHandle socket, Interop.Libc.MsgHdr* message, int flags, string what)
    {
        for (var attempt = 0; ; attempt++)
        {
            var sent = Interop.Libc.SendMsg(socket, message, flags);
            if (sent >= 0)
            {
                return (int)sent;
            }
            var errno = (Errno)Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR || attempt >= MaxInterruptRetries)
            {
                throw new KernelException(errno, $"sendmsg({what})");
            }
        }
    }

    /// <summary>
    /// recvmsg(2) retried on EINTR. Returns the byte count, or -1 for EAGAIN (nothing queued on a
    /// non-blocking call); other errors throw.
    /// </summary>
    public static unsafe int RecvMsg(SafeHandle socket, Interop.Libc.MsgHdr* message, int flags, string what)
    {
        for (var attempt = 0; ; attempt++)
        {
            var received = Interop.Libc.RecvMsg(socket, message, flags);
            if (received >= 0)
            {
                return (int)received;
            }
            var errno = (Errno)Marshal.GetLastPInvokeError();
            if (errno == Errno.EAGAIN)
            {
                return -1;
            }
            if (errno != Errno.EINTR || attempt >= MaxInterruptRetries)
            {
                throw new KernelException(errno, $"recvmsg({what})");
            }
        }
    }
}
