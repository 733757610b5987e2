using System.Runtime.InteropServices;

namespace Vigil.Linux;

/// <summary>A syscall or a netlink request failed; <see cref="Errno"/> says why, for callers to filter on.</summary>
public sealed class KernelException : Exception
{
    public KernelException()
    {
    }

    public KernelException(string message)
        : base(message)
    {
    }

    public KernelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KernelException(Errno errno, string operation, string? detail = null)
        : base(Format(errno, operation, detail))
    {
        Errno = errno;
        Operation = operation;
    }

    public Errno Errno { get; }

    /// <summary>The syscall or netlink request that failed, e.g. "RTM_NEWADDR" or "setsockopt(IP_ADD_MEMBERSHIP)".</summary>
    public string Operation { get; } = "";

    internal static KernelException FromLastError(string operation) =>
        new((Errno)Marshal.GetLastPInvokeError(), operation);

    private static string Format(Errno errno, string operation, string? detail)
    {
        var text = $"{operation}: {Marshal.GetPInvokeErrorMessage((int)errno)} ({errno})";
        return detail is null ? text : $"{text}: {detail}";
    }
}
