using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Vigil.Linux.Netlink;
using Vigil.Linux.Netlink.Generic;

namespace Vigil.Linux.Ipvs;

/// <summary>
/// Encodes and decodes IPVS generic netlink messages (include/uapi/linux/ip_vs.h), attribute for
/// attribute in the order ipvsadm's libipvs sends them. Pure code.
/// </summary>
internal static class IpvsCodec
{
    public const byte GenlVersion = 1;

    public const byte CmdNewService = 1;
    public const byte CmdSetService = 2;
    public const byte CmdDelService = 3;
    public const byte CmdGetService = 4;
    public const byte CmdNewDest = 5;
    public const byte CmdSetDest = 6;
    public const byte CmdDelDest = 7;
    public const byte CmdGetDest = 8;
    public const byte CmdNewDaemon = 9;
    public const byte CmdDelDaemon = 10;
    public const byte CmdGetDaemon = 11;
    public const byte CmdSetConfig = 12;
    public const byte CmdGetConfig = 13;
    public const byte CmdGetInfo = 15;
    public const byte CmdFlush = 17;

    private const ushort AttrService = 1;
    private const ushort AttrDest = 2;
    private const ushort AttrDaemon = 3;
    private const ushort AttrTimeoutTcp = 4;
    private const ushort AttrTimeoutTcpFin = 5;
    private const ushort AttrTimeoutUdp = 6;

    private const ushort SvcAf = 1;
    private const ushort SvcProtocol = 2;
    private const ushort SvcAddr = 3;
    private const ushort SvcPort = 4;
    private const ushort SvcFwmark = 5;
    private const ushort SvcSchedName = 6;
    private const ushort SvcFlags = 7;
    private const ushort SvcTimeout = 8;
    private const ushort SvcNetmask = 9;
    private const ushort SvcPeName = 11;

    private const ushort DestAddr = 1;
    private const ushort DestPort = 2;
    private const ushort DestFwdMethod = 3;
    private const ushort DestWeight = 4;
    private const ushort DestUThresh = 5;
    private const ushort DestLThresh = 6;
    private const ushort DestAddrFamily = 11;
    private const ushort DestTunType = 13;
    private const ushort DestTunPort = 14;
    private const ushort DestTunFlags = 15;

    private const ushort DaemonState = 1;
    private const ushort DaemonMcastIfn = 2;
    private const ushort DaemonSyncId = 3;
    private const ushort DaemonSyncMaxLen = 4;
    private const ushort DaemonMcastGroup = 5;
    private const ushort DaemonMcastGroup6 = 6;
    private const ushort DaemonMcastPort = 7;
    private const ushort DaemonMcastTtl = 8;

    /// <summary>AF_INET and AF_INET6 as the kernel numbers them.</summary>
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    /// <summary>NEW_SERVICE, SET_SERVICE or DEL_SERVICE (the last needs only the key, but libipvs sends all).</summary>
    public static void WriteService(NetlinkMessageWriter w, ushort familyId, byte command, uint sequence, IpvsService service)
    {
        w.BeginMessage(familyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        w.Write(new GenlMsgHdr { Command = command, Version = GenlVersion });
        var nest = w.BeginNested(AttrService);
        ServiceAttributes(w, service, full: true);
        w.EndNested(nest);
        w.EndMessage();
    }

    /// <summary>NEW_DEST, SET_DEST or DEL_DEST: the service key, then the destination.</summary>
    public static void WriteDestination(NetlinkMessageWriter w, ushort familyId, byte command, uint sequence, IpvsService service, IpvsDestination dest)
    {
        w.BeginMessage(familyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        w.Write(new GenlMsgHdr { Command = command, Version = GenlVersion });
        var svc = w.BeginNested(AttrService);
        ServiceAttributes(w, service, full: false);
        w.EndNested(svc);
        var nest = w.BeginNested(AttrDest);
        w.AddAttribute(DestAddr, Address(dest.Address));
        w.AddAttribute(DestPort, NetworkPort(dest.Port));
        w.AddAttribute(DestFwdMethod, (uint)dest.Forwarding);
        w.AddAttribute(DestWeight, unchecked((uint)dest.Weight));
        if (dest.Tunnel is { } t)
        {
            w.AddAttribute(DestTunType, (byte)t.Type);
            w.AddAttribute(DestTunPort, NetworkPort(t.Port));
            w.AddAttribute(DestTunFlags, t.Flags);
        }
        w.AddAttribute(DestUThresh, dest.UpperThreshold);
        w.AddAttribute(DestLThresh, dest.LowerThreshold);
        w.AddAttribute(DestAddrFamily, Af(dest.Address.AddressFamily));
        w.EndNested(nest);
        w.EndMessage();
    }

    /// <summary>GET_SERVICE with NLM_F_DUMP: every service.</summary>
    public static void WriteDumpServices(NetlinkMessageWriter w, ushort familyId, uint sequence)
    {
        w.BeginMessage(familyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        w.Write(new GenlMsgHdr { Command = CmdGetService, Version = GenlVersion });
        w.EndMessage();
    }

    /// <summary>GET_DEST with NLM_F_DUMP for one service.</summary>
    public static void WriteDumpDestinations(NetlinkMessageWriter w, ushort familyId, uint sequence, IpvsService service)
    {
        w.BeginMessage(familyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        w.Write(new GenlMsgHdr { Command = CmdGetDest, Version = GenlVersion });
        var nest = w.BeginNested(AttrService);
        ServiceAttributes(w, service, full: false);
        w.EndNested(nest);
        w.EndMessage();
    }

    /// <summary>SET_CONFIG: lvs_timeouts tcp, tcpfin, udp in seconds (0 leaves one unchanged).</summary>
    public static void WriteTimeouts(NetlinkMessageWriter w, ushort familyId, uint sequence, uint tcp, uint tcpFin, uint udp)
    {
        w.BeginMessage(familyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        w.Write(new GenlMsgHdr { Command = CmdSetConfig, Version = GenlVersion });
        w.AddAttribute(AttrTimeoutTcp, tcp);
        w.AddAttribute(AttrTimeoutTcpFin, tcpFin);
        w.AddAttribute(AttrTimeoutUdp, udp);
        w.EndMessage();
    }

    /// <summary>NEW_DAEMON: state, interface and sync id always; the optional fields only when set (the kernel then uses its defaults).</summary>
    public static void WriteNewDaemon(NetlinkMessageWriter w, ushort familyId, uint sequence, IpvsSyncDaemon daemon)
    {
        w.BeginMessage(familyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        w.Write(new GenlMsgHdr { Command = CmdNewDaemon, Version = GenlVersion });
        var nest = w.BeginNested(AttrDaemon);
        w.AddAttribute(DaemonState, (uint)daemon.State);
        w.AddAttribute(DaemonMcastIfn, daemon.Interface);
        w.AddAttribute(DaemonSyncId, daemon.SyncId);
        if (daemon.MaxLength != 0) w.AddAttribute(DaemonSyncMaxLen, daemon.MaxLength);
        if (daemon.Group is { } group)
        {
            // in_addr / in6_addr in network order, exactly 4 or 16 bytes.
            w.AddAttribute(group.AddressFamily == AddressFamily.InterNetworkV6 ? DaemonMcastGroup6 : DaemonMcastGroup, group.GetAddressBytes());
        }
        if (daemon.Port != 0) w.AddAttribute(DaemonMcastPort, daemon.Port);
        if (daemon.Ttl != 0) w.AddAttribute(DaemonMcastTtl, daemon.Ttl);
        w.EndNested(nest);
        w.EndMessage();
    }

    /// <summary>DEL_DAEMON: only the state says which one.</summary>
    public static void WriteDelDaemon(NetlinkMessageWriter w, ushort familyId, uint sequence, IpvsSyncState state)
    {
        w.BeginMessage(familyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        w.Write(new GenlMsgHdr { Command = CmdDelDaemon, Version = GenlVersion });
        var nest = w.BeginNested(AttrDaemon);
        w.AddAttribute(DaemonState, (uint)state);
        w.EndNested(nest);
        w.EndMessage();
    }

    /// <summary>GET_DAEMON with NLM_F_DUMP: the running sync daemons.</summary>
    public static void WriteDumpDaemons(NetlinkMessageWriter w, ushort familyId, uint sequence)
    {
        w.BeginMessage(familyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        w.Write(new GenlMsgHdr { Command = CmdGetDaemon, Version = GenlVersion });
        w.EndMessage();
    }

    /// <summary>Parses one reply of a GET_DAEMON dump.</summary>
    public static bool TryParseDaemon(in NetlinkMessage message, out IpvsSyncDaemon daemon)
    {
        daemon = null!;
        foreach (var top in message.Attributes(GenlMsgHdr.Size))
        {
            if ((top.Type & 0x3FFF) != AttrDaemon) continue;
            uint state = 0, syncId = 0;
            ushort maxLen = 0, port = 0;
            byte ttl = 0;
            string? ifname = null;
            IPAddress? group = null;
            foreach (var a in new NetlinkAttributeReader(top.Value))
            {
                switch (a.Type & 0x3FFF)
                {
                    case DaemonState: a.TryGetUInt32(out state); break;
                    case DaemonMcastIfn: ifname = a.GetString(); break;
                    case DaemonSyncId: a.TryGetUInt32(out syncId); break;
                    case DaemonSyncMaxLen: a.TryGetUInt16(out maxLen); break;
                    case DaemonMcastGroup when a.Value.Length == 4 && a.Value.IndexOfAnyExcept((byte)0) >= 0: group = new IPAddress(a.Value); break;
                    case DaemonMcastGroup6 when a.Value.Length == 16 && a.Value.IndexOfAnyExcept((byte)0) >= 0: group = new IPAddress(a.Value); break;
                    case DaemonMcastPort: a.TryGetUInt16(out port); break;
                    case DaemonMcastTtl: a.TryGetUInt8(out ttl); break;
                }
            }
            if (state is not ((uint)IpvsSyncState.Master or (uint)IpvsSyncState.Backup) || ifname is null) return false;
            daemon = new IpvsSyncDaemon((IpvsSyncState)state, ifname, syncId, maxLen, group, port, ttl);
            return true;
        }
        return false;
    }

    /// <summary>Parses the reply of GET_CONFIG: the three timeouts (a missing one reads as 0).</summary>
    public static IpvsTimeouts ParseTimeouts(in NetlinkMessage message)
    {
        uint tcp = 0, fin = 0, udp = 0;
        foreach (var a in message.Attributes(GenlMsgHdr.Size))
        {
            switch (a.Type & 0x3FFF)
            {
                case AttrTimeoutTcp: a.TryGetUInt32(out tcp); break;
                case AttrTimeoutTcpFin: a.TryGetUInt32(out fin); break;
                case AttrTimeoutUdp: a.TryGetUInt32(out udp); break;
            }
        }
        return new IpvsTimeouts(tcp, fin, udp);
    }

    /// <summary>A bare command (GET_INFO, GET_CONFIG, FLUSH).</summary>
    public static void WriteCommand(NetlinkMessageWriter w, ushort familyId, byte command, uint sequence)
    {
        w.BeginMessage(familyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        w.Write(new GenlMsgHdr { Command = command, Version = GenlVersion });
        w.EndMessage();
    }

    /// <summary>Parses a NEW_SERVICE reply of a GET_SERVICE dump.</summary>
    public static bool TryParseService(in NetlinkMessage message, out IpvsService service)
    {
        service = null!;
        foreach (var top in message.Attributes(GenlMsgHdr.Size))
        {
            if ((top.Type & 0x3FFF) != AttrService) continue;
            return TryParseServiceAttributes(top.Value, out service);
        }
        return false;
    }

    /// <summary>Parses a NEW_DEST reply of a GET_DEST dump.</summary>
    public static bool TryParseDestination(in NetlinkMessage message, AddressFamily serviceFamily, out IpvsDestination dest)
    {
        dest = null!;
        foreach (var top in message.Attributes(GenlMsgHdr.Size))
        {
            if ((top.Type & 0x3FFF) != AttrDest) continue;
            ReadOnlySpan<byte> addr = default;
            ushort port = 0, af = 0;
            uint fwd = 0, weight = 0, upper = 0, lower = 0;
            byte? tunType = null;
            ushort tunPort = 0, tunFlags = 0;
            foreach (var a in new NetlinkAttributeReader(top.Value))
            {
                switch (a.Type & 0x3FFF)
                {
                    case DestAddr: addr = a.Value; break;
                    case DestPort when a.Value.Length >= 2: port = BinaryPrimitives.ReadUInt16BigEndian(a.Value); break;
                    case DestFwdMethod: a.TryGetUInt32(out fwd); break;
                    case DestWeight: a.TryGetUInt32(out weight); break;
                    case DestUThresh: a.TryGetUInt32(out upper); break;
                    case DestLThresh: a.TryGetUInt32(out lower); break;
                    case DestAddrFamily: a.TryGetUInt16(out af); break;
                    case DestTunType when a.Value.Length >= 1: tunType = a.Value[0]; break;
                    case DestTunPort when a.Value.Length >= 2: tunPort = BinaryPrimitives.ReadUInt16BigEndian(a.Value); break;
                    case DestTunFlags: a.TryGetUInt16(out tunFlags); break;
                }
            }
            var family = af == AfInet6 ? AddressFamily.InterNetworkV6 : af == AfInet ? AddressFamily.InterNetwork : serviceFamily;
            if (addr.Length < 16) return false;
            dest = new IpvsDestination(ToAddress(addr, family), port, (IpvsForwarding)(fwd & 0x7), unchecked((int)weight), upper, lower,
                tunType is { } tt ? new IpvsTunnel((IpvsTunnelType)tt, tunPort, tunFlags) : null);
            return true;
        }
        return false;
    }

    private static bool TryParseServiceAttributes(ReadOnlySpan<byte> attributes, out IpvsService service)
    {
        service = null!;
        ushort af = 0, protocol = 0, port = 0;
        uint fwmark = 0, timeout = 0, netmask = 0, flags = 0;
        ReadOnlySpan<byte> addr = default;
        string? sched = null, pe = null;
        foreach (var a in new NetlinkAttributeReader(attributes))
        {
            switch (a.Type & 0x3FFF)
            {
                case SvcAf: a.TryGetUInt16(out af); break;
                case SvcProtocol: a.TryGetUInt16(out protocol); break;
                case SvcAddr: addr = a.Value; break;
                case SvcPort when a.Value.Length >= 2: port = BinaryPrimitives.ReadUInt16BigEndian(a.Value); break;
                case SvcFwmark: a.TryGetUInt32(out fwmark); break;
                case SvcSchedName: sched = a.GetString(); break;
                case SvcFlags when a.Value.Length >= 4: flags = BinaryPrimitives.ReadUInt32LittleEndian(a.Value); break;
                case SvcTimeout: a.TryGetUInt32(out timeout); break;
                case SvcNetmask: a.TryGetUInt32(out netmask); break;
                case SvcPeName: pe = a.GetString(); break;
            }
        }
        if (af is not (AfInet or AfInet6) || sched is null) return false;
        var family = af == AfInet6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        IPAddress? address = fwmark == 0 && addr.Length >= 16 ? ToAddress(addr, family) : null;
        if (fwmark == 0 && address is null) return false;
        service = new IpvsService(family, (IpvsProtocol)protocol, address, port, fwmark, sched,
            (IpvsServiceFlags)flags & ~IpvsServiceFlags.Hashed, timeout, netmask, string.IsNullOrEmpty(pe) ? null : pe);
        return true;
    }

    private static void ServiceAttributes(NetlinkMessageWriter w, IpvsService s, bool full)
    {
        w.AddAttribute(SvcAf, Af(s.Family));
        if (s.Fwmark != 0) w.AddAttribute(SvcFwmark, s.Fwmark);
        else
        {
            w.AddAttribute(SvcProtocol, (ushort)s.Protocol);
            w.AddAttribute(SvcAddr, Address(s.Address!));
            w.AddAttribute(SvcPort, NetworkPort(s.Port));
        }
        if (!full) return;
        w.AddAttribute(SvcSchedName, s.Scheduler);
        if (s.PersistenceEngine is { } pe) w.AddAttribute(SvcPeName, pe);
        Span<byte> flags = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(flags, (uint)s.Flags);
        // ip_vs_flags.mask: every flag this message sets or clears.
        BinaryPrimitives.WriteUInt32LittleEndian(flags[4..], uint.MaxValue);
        w.AddAttribute(SvcFlags, flags);
        w.AddAttribute(SvcTimeout, s.Timeout);
        w.AddAttribute(SvcNetmask, s.Netmask != 0 ? s.Netmask : IpvsService.DefaultNetmask(s.Family));
    }

    private static ushort Af(AddressFamily f) => f == AddressFamily.InterNetworkV6 ? AfInet6 : AfInet;

    /// <summary>union nf_inet_addr: 16 bytes, an IPv4 address in the first four.</summary>
    private static byte[] Address(IPAddress a)
    {
        var bytes = new byte[16];
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).GetAddressBytes().CopyTo(bytes, 0);
        return bytes;
    }

    private static byte[] NetworkPort(ushort port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
        return bytes;
    }

    private static IPAddress ToAddress(ReadOnlySpan<byte> addr, AddressFamily family) =>
        new(family == AddressFamily.InterNetworkV6 ? addr[..16] : addr[..4]);
}
