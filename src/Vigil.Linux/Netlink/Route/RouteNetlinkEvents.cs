using System.Runtime.CompilerServices;
using Vigil.Linux.Namespaces;

namespace Vigil.Linux.Netlink.Route;

/// <summary>Something rtnetlink announced on a multicast group.</summary>
public abstract record RouteNetlinkEvent;

public enum LinkEventKind
{
    /// <summary>RTM_NEWLINK: the link appeared or changed (flags, carrier, name, MTU...).</summary>
    Changed,

    /// <summary>RTM_DELLINK: the link is gone.</summary>
    Removed,
}

public enum AddressEventKind
{
    Added,
    Removed,
}

/// <summary>A link appeared, changed or went away; <see cref="LinkInfo"/> carries its state after the change.</summary>
public sealed record LinkEvent(LinkEventKind Kind, LinkInfo Link) : RouteNetlinkEvent;

/// <summary>An address was added to or removed from an interface (by anyone, Vigil included).</summary>
public sealed record AddressEvent(AddressEventKind Kind, InterfaceAddress Address) : RouteNetlinkEvent;

/// <summary>
/// The kernel dropped events (the socket buffer overflowed: ENOBUFS). State may have changed unseen;
/// the reader should dump again (GetLinks / GetAddresses) to resynchronise.
/// </summary>
public sealed record EventsLost : RouteNetlinkEvent;

/// <summary>
/// A NETLINK_ROUTE socket subscribed to multicast groups: link events for track_interface, address
/// events to notice VIPs removed behind our back. Subscribe first, then dump, so nothing falls between.
/// Reads asynchronously (epoll through the runtime), one reader at a time.
/// </summary>
public sealed class RouteNetlinkEvents : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly byte[] _buffer = new byte[NetlinkSocket.ReceiveBufferSize];

    private RouteNetlinkEvents(NetlinkSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Subscribes to <paramref name="groups"/> in <paramref name="ns"/> (null: the caller's namespace).</summary>
    public static RouteNetlinkEvents Open(IEnumerable<RtnlGroup> groups, NetworkNamespace? ns = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var numbers = groups.Select(g => (uint)g).Distinct().ToArray();
        if (numbers.Length == 0)
        {
            throw new ArgumentException("Subscribe to at least one group.", nameof(groups));
        }
        return new RouteNetlinkEvents(NetworkNamespace.Within(ns, () => NetlinkSocket.OpenForEvents(NetlinkProtocol.Route, numbers)));
    }

    /// <summary>Events as they arrive, until <paramref name="cancellationToken"/> is cancelled (then it throws OperationCanceledException).</summary>
    public async IAsyncEnumerable<RouteNetlinkEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var batch = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            foreach (var item in batch)
            {
                yield return item;
            }
        }
    }

    /// <summary>Waits for the next datagram and returns the events in it (possibly none we understand).</summary>
    public async ValueTask<IReadOnlyList<RouteNetlinkEvent>> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        int length;
        try
        {
            length = await _socket.ReceiveAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (KernelException e) when (e.Errno == Errno.ENOBUFS)
        {
            return [new EventsLost()];
        }
        return Parse(_buffer.AsSpan(0, length));
    }

    public void Dispose() => _socket.Dispose();

    internal static List<RouteNetlinkEvent> Parse(ReadOnlySpan<byte> datagram)
    {
        var events = new List<RouteNetlinkEvent>();
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            switch (message.Header.Type)
            {
                case RtmType.NewLink or RtmType.DelLink when RtnlCodec.TryParseLink(message, out var link):
                    events.Add(new LinkEvent(message.Header.Type == RtmType.NewLink ? LinkEventKind.Changed : LinkEventKind.Removed, link));
                    break;
                case RtmType.NewAddr or RtmType.DelAddr when RtnlCodec.TryParseAddress(message, out var address):
                    events.Add(new AddressEvent(message.Header.Type == RtmType.NewAddr ? AddressEventKind.Added : AddressEventKind.Removed, address));
                    break;
                case NetlinkMessageType.Overrun:
                    events.Add(new EventsLost());
                    break;
            }
        }
        return events;
    }
}
