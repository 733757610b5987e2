using System.Net.Sockets;
using System.Runtime.InteropServices;
using static Vigil.Linux.Interop.Constants;

namespace Vigil.Linux.Netlink;

/// <summary>Handles each message of a reply; a delegate type of its own because the message is a ref struct.</summary>
internal delegate void NetlinkMessageHandler(in NetlinkMessage message);

/// <summary>
/// An AF_NETLINK socket: request/ack with sequence numbers, dumps, and multicast groups for events.
/// It acts in the network namespace of the thread that opened it. Requests are synchronous (rtnetlink
/// answers during the send, so the wait is short) and bounded by a receive timeout; events are read
/// asynchronously through the runtime's epoll engine, without a thread per socket.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    /// <summary>Dump replies come in datagrams of at most 32 KiB (the kernel caps them); this leaves room.</summary>
    public const int ReceiveBufferSize = 64 * 1024;

    private static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    private readonly SafeSocketHandle _handle;
    private readonly Socket? _socket;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private uint _sequence;

    private NetlinkSocket(SafeSocketHandle handle, Socket? socket, NetlinkProtocol protocol)
    {
        _handle = handle;
        _socket = socket;
        Protocol = protocol;
        // Start from a value unlikely to match stale replies of an earlier socket with the same port id.
        _sequence = (uint)Environment.TickCount;
    }

    public NetlinkProtocol Protocol { get; }

    internal SafeHandle Handle => _handle;

    /// <summary>Opens a socket for requests (blocking, with a receive timeout) in the calling thread's namespace.</summary>
    public static NetlinkSocket OpenForRequests(NetlinkProtocol protocol, TimeSpan? timeout = null)
    {
        var handle = SocketCalls.Create(AF_NETLINK, SOCK_RAW, (int)protocol, $"AF_NETLINK {protocol}");
        try
        {
            Configure(handle);
            SetReceiveTimeout(handle, timeout ?? DefaultRequestTimeout);
            return new NetlinkSocket(handle, null, protocol);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Opens a non-blocking socket subscribed to the given multicast groups, for events.</summary>
    public static NetlinkSocket OpenForEvents(NetlinkProtocol protocol, ReadOnlySpan<uint> groups, int receiveBufferBytes = 1024 * 1024)
    {
        var handle = SocketCalls.Create(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, (int)protocol, $"AF_NETLINK {protocol}");
        try
        {
            Configure(handle);
            // Bursts of events (an interface flap with many addresses) overflow the default buffer; ENOBUFS
            // then tells the reader to resynchronise. SO_RCVBUFFORCE needs CAP_NET_ADMIN, so fall back.
            try
            {
                SocketCalls.SetInt(handle, SOL_SOCKET, SO_RCVBUFFORCE, receiveBufferBytes, "SO_RCVBUFFORCE");
            }
            catch (KernelException e) when (e.Errno == Errno.EPERM)
            {
                SocketCalls.SetInt(handle, SOL_SOCKET, SO_RCVBUF, receiveBufferBytes, "SO_RCVBUF");
            }
            Span<byte> address = stackalloc byte[SocketAddresses.NetlinkLength];
            SocketCalls.Bind(handle, address[..SocketAddresses.WriteNetlink(address, 0)], "AF_NETLINK");
            foreach (var group in groups)
            {
                SocketCalls.SetInt(handle, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, (int)group, $"NETLINK_ADD_MEMBERSHIP {group}");
            }
            return new NetlinkSocket(handle, new Socket(handle), protocol);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public uint NextSequence() => unchecked(++_sequence);

    public void Send(ReadOnlySpan<byte> messages, string what) =>
        SocketCalls.SendTo(_handle, messages, ReadOnlySpan<byte>.Empty, 0, what);

    /// <summary>
    /// Sends the request(s) in <paramref name="request"/> (built with NLM_F_ACK) and waits for the
    /// acknowledgement of <paramref name="sequence"/>. Replies other than the ack go to <paramref name="onReply"/>.
    /// Returns the errno the kernel answered with (None on success) and its extended-ack text, if any.
    /// </summary>
    public (Errno Errno, string? Detail) Request(NetlinkMessageWriter request, uint sequence, string what, NetlinkMessageHandler? onReply = null)
    {
        Send(request.WrittenSpan, what);
        return ReceiveUntil(sequence, what, onReply, untilDone: false);
    }

    /// <summary>Sends a NLM_F_DUMP request and passes every reply message to <paramref name="onMessage"/> until NLMSG_DONE.</summary>
    public void Dump(NetlinkMessageWriter request, uint sequence, string what, NetlinkMessageHandler onMessage)
    {
        Send(request.WrittenSpan, what);
        var (errno, detail) = ReceiveUntil(sequence, what, onMessage, untilDone: true);
        if (errno != Errno.None)
        {
            throw new KernelException(errno, what, detail);
        }
    }

    /// <summary>
    /// Waits until a datagram is queued, then reads it into <paramref name="buffer"/>. Returns its length.
    /// Throws <see cref="KernelException"/> with ENOBUFS when the kernel dropped events (the caller resyncs).
    /// </summary>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException("This socket was opened for requests.");
        while (true)
        {
            var received = TryReceive(buffer.Span, "netlink events");
            if (received >= 0)
            {
                return received;
            }
            try
            {
                // A zero-byte peek completes when a datagram is queued, without consuming it.
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                throw new KernelException(Errno.ENOBUFS, "recvmsg(netlink events)");
            }
        }
    }

    public void Dispose()
    {
        if (_socket is not null)
        {
            _socket.Dispose();
        }
        _handle.Dispose();
    }

    private (Errno, string?) ReceiveUntil(uint sequence, string what, NetlinkMessageHandler? onMessage, bool untilDone)
    {
        // Bounded: a dump of a huge table still ends, and each receive is bounded by the timeout.
        for (var datagrams = 0; datagrams < 1_000_000; datagrams++)
        {
            var length = ReceiveBlocking(what);
            var reader = new NetlinkMessageReader(_receiveBuffer.AsSpan(0, length));
            while (reader.TryRead(out var message))
            {
                if (message.Header.Sequence != sequence)
                {
                    continue; // a late reply to an earlier request that timed out
                }
                switch (message.Header.Type)
                {
                    case NetlinkMessageType.Error:
                        return ParseError(message);
                    case NetlinkMessageType.Done:
                        if (untilDone)
                        {
                            // A dump's DONE carries an int error too (e.g. a filter the kernel rejected).
                            return message.Payload.Length >= 4 && MemoryMarshal.Read<int>(message.Payload) < 0
                                ? ((Errno)(-MemoryMarshal.Read<int>(message.Payload)), null)
                                : (Errno.None, null);
                        }
                        break;
                    case NetlinkMessageType.Noop:
                        break;
                    case NetlinkMessageType.Overrun:
                        return (Errno.ENOBUFS, "netlink overrun");
                    default:
                        onMessage?.Invoke(message);
                        break;
                }
            }
            if (reader.Malformed)
            {
                throw new KernelException(Errno.EIO, what, "malformed netlink reply");
            }
        }
        throw new KernelException(Errno.EIO, what, "reply did not end");
    }

    /// <summary>Parses struct nlmsgerr and the extended-ack text after it (NETLINK_EXT_ACK).</summary>
    internal static (Errno, string?) ParseError(in NetlinkMessage message)
    {
        if (message.Payload.Length < 4)
        {
            return (Errno.EIO, "short NLMSG_ERROR");
        }
        var error = MemoryMarshal.Read<int>(message.Payload);
        string? detail = null;
        if ((message.Header.Flags & NetlinkMessageFlags.AckTlvs) != 0)
        {
            // With NETLINK_CAP_ACK the echoed request is only its header; TLVs follow it.
            var echoed = (message.Header.Flags & NetlinkMessageFlags.Capped) != 0 || message.Payload.Length < 4 + NlMsgHdr.Size
                ? NlMsgHdr.Size
                : (int)MemoryMarshal.Read<NlMsgHdr>(message.Payload[4..]).Length;
            var offset = 4 + NetlinkMessageWriter.Align(echoed);
            if (offset <= message.Payload.Length)
            {
                foreach (var attribute in new NetlinkAttributeReader(message.Payload[offset..]))
                {
                    if (attribute.Type == NetlinkErrorAttribute.Message)
                    {
                        detail = attribute.GetString();
                    }
                }
            }
        }
        return (error < 0 ? (Errno)(-error) : Errno.None, detail);
    }

    private int ReceiveBlocking(string what)
    {
        var received = TryReceive(_receiveBuffer, what);
        if (received < 0)
        {
            throw new KernelException(Errno.ETIMEDOUT, what, "no reply from the kernel");
        }
        return received;
    }

    private unsafe int TryReceive(Span<byte> buffer, string what)
    {
        fixed (byte* p = buffer)
        {
            var iov = new Interop.Libc.IoVec { Base = p, Length = (nuint)buffer.Length };
            var message = new Interop.Libc.MsgHdr { Iov = &iov, IovLength = 1 };
            var received = SocketCalls.RecvMsg(_handle, &message, _socket is null ? 0 : MSG_DONTWAIT, what);
            if (received >= 0 && (message.Flags & MSG_TRUNC) != 0)
            {
                throw new KernelException(Errno.EMSGSIZE, what, $"netlink datagram larger than {buffer.Length} bytes");
            }
            return received;
        }
    }

    private static void Configure(SafeSocketHandle handle)
    {
        // Ask for the kernel's error text, and not to echo the whole request back in errors.
        TrySet(handle, NETLINK_EXT_ACK);
        TrySet(handle, NETLINK_CAP_ACK);

        static void TrySet(SafeSocketHandle handle, int option)
        {
            try
            {
                SocketCalls.SetInt(handle, SOL_NETLINK, option, 1, $"SOL_NETLINK {option}");
            }
            catch (KernelException e) when (e.Errno is Errno.ENOPROTOOPT or Errno.EINVAL)
            {
                // Older kernels lack the option; errors then come without text.
            }
        }
    }

    private static unsafe void SetReceiveTimeout(SafeSocketHandle handle, TimeSpan timeout)
    {
        // struct timeval { long tv_sec; long tv_usec; } on LP64.
        Span<long> timeval = [(long)timeout.TotalSeconds, timeout.Microseconds + (timeout.Milliseconds * 1000L)];
        SocketCalls.SetBytes(handle, SOL_SOCKET, SO_RCVTIMEO, MemoryMarshal.AsBytes(timeval), "SO_RCVTIMEO");
    }
}
