using Vigil.Linux.Namespaces;

namespace Vigil.Linux.Netlink.Generic;

/// <summary>
/// A NETLINK_GENERIC socket. For now it resolves family names to ids (CTRL_CMD_GETFAMILY), which the
/// IPVS data plane needs first; family requests go through <see cref="Socket"/> inside this assembly.
/// </summary>
public sealed class GenericNetlink : IDisposable
{
    private readonly NetlinkMessageWriter _writer = new();
    private readonly Lock _lock = new();

    private GenericNetlink(NetlinkSocket socket)
    {
        Socket = socket;
    }

    internal NetlinkSocket Socket { get; }

    public static GenericNetlink Open(NetworkNamespace? ns = null) =>
        new(NetworkNamespace.Within(ns, () => NetlinkSocket.OpenForRequests(NetlinkProtocol.Generic)));

    /// <summary>The family called <paramref name="name"/>, or null if the kernel has none (e.g. "IPVS" without ip_vs loaded).</summary>
    public GenericNetlinkFamily? GetFamily(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        GenericNetlinkFamily? found = null;
        Errno errno;
        string? detail;
        lock (_lock)
        {
            _writer.Clear();
            var sequence = Socket.NextSequence();
            GenericNetlinkCodec.WriteGetFamily(_writer, sequence, name);
            (errno, detail) = Socket.Request(_writer, sequence, "CTRL_CMD_GETFAMILY", (in NetlinkMessage m) =>
            {
                if (GenericNetlinkCodec.TryParseFamily(m, out var family))
                {
                    found = family;
                }
            });
        }
        return errno switch
        {
            Errno.None => found,
            Errno.ENOENT => null,
            _ => throw new KernelException(errno, $"CTRL_CMD_GETFAMILY {name}", detail),
        };
    }

    public void Dispose() => Socket.Dispose();
}
