using System.Net;
using System.Net.Sockets;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using static Vigil.Linux.Interop.Constants;

namespace Vigil.Linux.Vrrp;

/// <summary>
/// The VRRP transport for one interface and family: a raw IP socket for protocol 112 (or 51, AH),
/// bound to the device, joined to the group on it, multicast TTL/hop limit 255, multicast loop off,
/// every datagram sent from <see cref="SourceAddress"/>. Receives asynchronously through the runtime's
/// epoll engine (no thread per socket) and reads each datagram with recvmsg for its metadata.
/// </summary>
public sealed class VrrpSocket : IDisposable
{
    public const int VrrpProtocol = 112;
    public const int AhProtocol = 51;

    /// <summary>RFC 5798 §5.1.1.2 and §5.1.2.2: the VRRP groups.</summary>
    public static readonly IPAddress DefaultGroupIPv4 = IPAddress.Parse("224.0.0.18");
    public static readonly IPAddress DefaultGroupIPv6 = IPAddress.Parse("ff02::12");

    private const int MulticastHopLimit = 255;

    private readonly SafeSocketHandle _handle;
    private readonly Socket _socket;
    private readonly Lazy<SafeSocketHandle>? _headerIncludedSender;
    private long _truncated;
    private long _malformed;

    private VrrpSocket(SafeSocketHandle handle, VrrpSocketOptions options, int interfaceIndex, IPAddress source, IPAddress group, NetworkNamespace? ns)
    {
        _handle = handle;
        _socket = new Socket(handle);
        InterfaceName = options.InterfaceName;
        Family = options.Family;
        Protocol = options.Protocol;
        InterfaceIndex = interfaceIndex;
        SourceAddress = source;
        MulticastGroup = group;
        if (Family == AddressFamily.InterNetwork)
        {
            var name = options.InterfaceName;
            _headerIncludedSender = new Lazy<SafeSocketHandle>(() => NetworkNamespace.Within(ns, () => OpenHeaderIncludedSender(name)));
        }
    }

    public string InterfaceName { get; }

    public int InterfaceIndex { get; }

    public AddressFamily Family { get; }

    public int Protocol { get; }

    /// <summary>Every datagram leaves from this address; the codec needs it for the v3 pseudo-header checksum.</summary>
    public IPAddress SourceAddress { get; }

    public IPAddress MulticastGroup { get; }

    /// <summary>Datagrams dropped because they did not fit the caller's buffer.</summary>
    public long TruncatedCount => Interlocked.Read(ref _truncated);

    /// <summary>Datagrams dropped because the kernel handed over something unparseable (should stay 0).</summary>
    public long MalformedCount => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Opens the socket in <paramref name="ns"/> (null: the caller's namespace). Throws
    /// <see cref="KernelException"/>: ENODEV if the interface does not exist, EADDRNOTAVAIL if no source
    /// address was given and the interface has none to pick.
    /// </summary>
    public static VrrpSocket Open(VrrpSocketOptions options, NetworkNamespace? ns = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException("VRRP runs over IPv4 or IPv6.", nameof(options));
        }
        if (options.Protocol == AhProtocol && options.Family != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("AH authentication exists for IPv4 (VRRPv2) only.", nameof(options));
        }
        var group = options.MulticastGroup ?? (options.Family == AddressFamily.InterNetwork ? DefaultGroupIPv4 : DefaultGroupIPv6);
        if (group.AddressFamily != options.Family || options.SourceAddress is { } s && s.AddressFamily != options.Family)
        {
            throw new ArgumentException("Group and source must be of the socket's family.", nameof(options));
        }

        int index;
        IPAddress source;
        using (var rtnl = RouteNetlink.Open(ns))
        {
            var link = rtnl.GetLink(options.InterfaceName)
                ?? throw new KernelException(Errno.ENODEV, $"VRRP socket on {options.InterfaceName}", "no such interface");
            index = link.Index;
            source = options.SourceAddress ?? PickSource(rtnl, index, options);
        }

        var handle = NetworkNamespace.Within(ns, () => SocketCalls.Create(
            options.Family == AddressFamily.InterNetwork ? AF_INET : AF_INET6, SOCK_RAW | SOCK_NONBLOCK, options.Protocol, $"raw {options.Family} protocol {options.Protocol}"));
        try
        {
            Configure(handle, options, index);
            var socket = new VrrpSocket(handle, options, index, source, group, ns);
            if (options.JoinMulticastGroup)
            {
                socket.JoinGroup(group);
            }
            return socket;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Joins another group on the interface (IP_ADD_MEMBERSHIP / IPV6_ADD_MEMBERSHIP).</summary>
    public void JoinGroup(IPAddress group)
    {
        ArgumentNullException.ThrowIfNull(group);
        Span<byte> request = stackalloc byte[20];
        if (Family == AddressFamily.InterNetwork)
        {
            // struct ip_mreqn { in_addr multiaddr; in_addr address; int ifindex; }
            request[..12].Clear();
            group.TryWriteBytes(request[..4], out _);
            BitConverter.TryWriteBytes(request[8..12], InterfaceIndex);
            SocketCalls.SetBytes(_handle, IPPROTO_IP, IP_ADD_MEMBERSHIP, request[..12], $"IP_ADD_MEMBERSHIP {group} on {InterfaceName}");
        }
        else
        {
            // struct ipv6_mreq { in6_addr multiaddr; int ifindex; }
            group.TryWriteBytes(request[..16], out _);
            BitConverter.TryWriteBytes(request[16..20], InterfaceIndex);
            SocketCalls.SetBytes(_handle, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, request, $"IPV6_ADD_MEMBERSHIP {group} on {InterfaceName}");
        }
    }

    /// <summary>
    /// Sends one VRRP message (the kernel adds the IP header) to the group or a unicast peer, from
    /// <see cref="SourceAddress"/>. Throws <see cref="KernelException"/> (e.g. ENETDOWN when the link is down).
    /// </summary>
    public unsafe void Send(ReadOnlySpan<byte> payload, IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.AddressFamily != Family)
        {
            throw new ArgumentException($"Destination {destination} is not {Family}.", nameof(destination));
        }
        Span<byte> name = stackalloc byte[SocketAddresses.Inet6Length];
        var nameLength = SocketAddresses.WriteInet(name, destination);
        if (Family == AddressFamily.InterNetworkV6)
        {
            // Link-local destinations (the group, fe80:: peers) need the interface as scope id.
            BitConverter.TryWriteBytes(name[24..28], InterfaceIndex);
        }
        Span<byte> control = stackalloc byte[ControlMessages.Space(20)];
        var controlLength = ControlMessages.WritePacketInfo(control, SourceAddress, InterfaceIndex);
        fixed (byte* data = payload)
        fixed (byte* namePointer = name)
        fixed (byte* controlPointer = control)
        {
            var iov = new Interop.Libc.IoVec { Base = data, Length = (nuint)payload.Length };
            var message = new Interop.Libc.MsgHdr
            {
                Name = namePointer,
                NameLength = (uint)nameLength,
                Iov = &iov,
                IovLength = 1,
                Control = controlPointer,
                ControlLength = (nuint)controlLength,
            };
            SocketCalls.SendMsg(_handle, &message, MSG_DONTWAIT, $"VRRP to {destination} on {InterfaceName}");
        }
    }

    /// <summary>
    /// IPv4 only: sends a complete datagram whose IP header the caller built (VRRPv2 with AH, whose ICV
    /// covers the header, or to match keepalived's header byte for byte). Goes through a separate
    /// IPPROTO_RAW socket (implicit IP_HDRINCL) on the same device, opened on first use.
    /// </summary>
    public void SendIPv4Datagram(ReadOnlySpan<byte> datagram)
    {
        if (_headerIncludedSender is null)
        {
            throw new InvalidOperationException("Whole datagrams are for IPv4 sockets.");
        }
        if (!IPv4Header.TryParse(datagram, out var header))
        {
            throw new ArgumentException("Not an IPv4 datagram.", nameof(datagram));
        }
        Span<byte> name = stackalloc byte[SocketAddresses.InetLength];
        var nameLength = SocketAddresses.WriteInet(name, header.Destination);
        SocketCalls.SendTo(_headerIncludedSender.Value, datagram, name[..nameLength], MSG_DONTWAIT, $"IPv4 datagram to {header.Destination} on {InterfaceName}");
    }

    /// <summary>
    /// Waits for the next datagram and reads it into <paramref name="buffer"/> (1500 bytes is plenty).
    /// Datagrams that do not fit are dropped and counted in <see cref="TruncatedCount"/>.
    /// </summary>
    public async ValueTask<VrrpDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryReceive(buffer, out var datagram))
            {
                return datagram;
            }
            // A zero-byte peek completes once a datagram is queued, without consuming it.
            await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _handle.Dispose();
        if (_headerIncludedSender is { IsValueCreated: true })
        {
            _headerIncludedSender.Value.Dispose();
        }
    }

    /// <summary>One non-blocking recvmsg; false when nothing (usable) was queued.</summary>
    private unsafe bool TryReceive(Memory<byte> buffer, out VrrpDatagram datagram)
    {
        datagram = default;
        // Bounded: drain at most this many unusable datagrams before waiting again.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            Span<byte> name = stackalloc byte[SocketAddresses.Inet6Length];
            Span<byte> control = stackalloc byte[ControlMessages.ReceiveBufferSize];
            int received;
            int flags;
            uint nameLength;
            nuint controlLength;
            fixed (byte* data = buffer.Span)
            fixed (byte* namePointer = name)
            fixed (byte* controlPointer = control)
            {
                var iov = new Interop.Libc.IoVec { Base = data, Length = (nuint)buffer.Length };
                var message = new Interop.Libc.MsgHdr
                {
                    Name = namePointer,
                    NameLength = (uint)name.Length,
                    Iov = &iov,
                    IovLength = 1,
                    Control = controlPointer,
                    ControlLength = (nuint)control.Length,
                };
                received = SocketCalls.RecvMsg(_handle, &message, MSG_DONTWAIT, $"VRRP on {InterfaceName}");
                flags = message.Flags;
                nameLength = message.NameLength;
                controlLength = message.ControlLength;
            }
            if (received < 0)
            {
                return false;
            }
            if ((flags & MSG_TRUNC) != 0)
            {
                Interlocked.Increment(ref _truncated);
                continue;
            }
            var meta = default(ReceivedControl);
            ControlMessages.Parse(control[..(int)Math.Min(controlLength, (nuint)control.Length)], ref meta);
            var bytes = buffer[..received];
            if (Family == AddressFamily.InterNetwork)
            {
                // Linux hands IPv4 raw sockets the IP header: source, destination, TTL and protocol come from it.
                if (!IPv4Header.TryParse(bytes.Span, out var header))
                {
                    Interlocked.Increment(ref _malformed);
                    continue;
                }
                var end = Math.Clamp(header.TotalLength, header.HeaderLength, received);
                datagram = new VrrpDatagram(header.Source, header.Destination, header.Ttl, meta.InterfaceIndex, header.Protocol,
                    bytes[header.HeaderLength..end], bytes[..end]);
                return true;
            }
            // IPv6 raw sockets get only the payload; the source is the peer name, the rest is ancillary data.
            if (nameLength < SocketAddresses.Inet6Length || meta.Destination is null)
            {
                Interlocked.Increment(ref _malformed);
                continue;
            }
            var source = new IPAddress(name[8..24]);
            datagram = new VrrpDatagram(source, meta.Destination, meta.HopLimit, meta.InterfaceIndex, Protocol, bytes, bytes);
            return true;
        }
        return false;
    }

    private static void Configure(SafeSocketHandle handle, VrrpSocketOptions options, int index)
    {
        SocketCalls.BindToDevice(handle, options.InterfaceName);
        if (options.Family == AddressFamily.InterNetwork)
        {
            SocketCalls.SetInt(handle, IPPROTO_IP, IP_TOS, options.TrafficClass, "IP_TOS");
            SocketCalls.SetInt(handle, IPPROTO_IP, IP_TTL, options.UnicastHopLimit, "IP_TTL");
            SocketCalls.SetInt(handle, IPPROTO_IP, IP_MULTICAST_TTL, MulticastHopLimit, "IP_MULTICAST_TTL");
            SocketCalls.SetInt(handle, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
            // Only the groups this socket joined, not every group joined on the host.
            SocketCalls.SetInt(handle, IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL");
            SocketCalls.SetInt(handle, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO");
            Span<byte> request = stackalloc byte[12];
            request.Clear();
            BitConverter.TryWriteBytes(request[8..], index);
            SocketCalls.SetBytes(handle, IPPROTO_IP, IP_MULTICAST_IF, request, "IP_MULTICAST_IF");
        }
        else
        {
            SocketCalls.SetInt(handle, IPPROTO_IPV6, IPV6_TCLASS, options.TrafficClass, "IPV6_TCLASS");
            SocketCalls.SetInt(handle, IPPROTO_IPV6, IPV6_UNICAST_HOPS, options.UnicastHopLimit, "IPV6_UNICAST_HOPS");
            SocketCalls.SetInt(handle, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, MulticastHopLimit, "IPV6_MULTICAST_HOPS");
            SocketCalls.SetInt(handle, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
            SocketCalls.SetInt(handle, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0, "IPV6_MULTICAST_ALL");
            SocketCalls.SetInt(handle, IPPROTO_IPV6, IPV6_MULTICAST_IF, index, "IPV6_MULTICAST_IF");
            SocketCalls.SetInt(handle, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
            SocketCalls.SetInt(handle, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
        }
    }

    private static SafeSocketHandle OpenHeaderIncludedSender(string interfaceName)
    {
        // IPPROTO_RAW implies IP_HDRINCL and never receives, so it cannot fill a queue nobody reads.
        var handle = SocketCalls.Create(AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_RAW, "raw IPv4 IPPROTO_RAW");
        try
        {
            SocketCalls.BindToDevice(handle, interfaceName);
            SocketCalls.SetInt(handle, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static IPAddress PickSource(RouteNetlink rtnl, int index, VrrpSocketOptions options)
    {
        var addresses = rtnl.GetAddresses(index, options.Family);
        // A carrier change restarts DAD, so the link-local can be tentative for a moment (~1 s with DAD on):
        // prefer a usable one, else take the tentative one rather than fail; sends fail until DAD ends.
        var pick = options.Family == AddressFamily.InterNetwork
            ? addresses.FirstOrDefault(a => (a.Flags & AddressFlags.Secondary) == 0)
            : addresses.FirstOrDefault(a => a.Address.IsIPv6LinkLocal && (a.Flags & (AddressFlags.Tentative | AddressFlags.DadFailed)) == 0)
              ?? addresses.FirstOrDefault(a => a.Address.IsIPv6LinkLocal && (a.Flags & AddressFlags.DadFailed) == 0);
        return pick?.Address
            ?? throw new KernelException(Errno.EADDRNOTAVAIL, $"VRRP socket on {options.InterfaceName}",
                options.Family == AddressFamily.InterNetwork ? "the interface has no IPv4 address" : "the interface has no usable IPv6 link-local address");
    }
}
