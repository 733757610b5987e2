using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using static Vigil.Linux.Interop.Constants;

namespace Vigil.Linux.Netlink.Route;

/// <summary>Encodes rtnetlink link and address requests and decodes their replies and events. Pure code.</summary>
internal static class RtnlCodec
{
    public static void WriteGetLinks(NetlinkMessageWriter writer, uint sequence)
    {
        writer.BeginMessage(RtmType.GetLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        writer.Write(new IfInfoMsg());
        writer.AddAttribute(IflaAttribute.ExtMask, IflaAttribute.CompactExtMask);
        writer.EndMessage();
    }

    /// <summary>RTM_GETLINK for one link, by index (name null) or by name (index 0).</summary>
    public static void WriteGetLink(NetlinkMessageWriter writer, uint sequence, int index, string? name)
    {
        writer.BeginMessage(RtmType.GetLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        writer.Write(new IfInfoMsg { Index = index });
        writer.AddAttribute(IflaAttribute.ExtMask, IflaAttribute.CompactExtMask);
        if (name is not null)
        {
            writer.AddAttribute(IflaAttribute.IfName, name);
        }
        writer.EndMessage();
    }

    /// <summary>Decodes RTM_NEWLINK / RTM_DELLINK; false if the message is not a well-formed link message.</summary>
    public static bool TryParseLink(in NetlinkMessage message, out LinkInfo link)
    {
        link = null!;
        if (message.Header.Type is not (RtmType.NewLink or RtmType.DelLink) || !message.TryReadFamilyHeader(out IfInfoMsg info))
        {
            return false;
        }
        string? name = null;
        string? kind = null;
        PhysicalAddress? hardware = null;
        uint mtu = 0, master = 0, lower = 0;
        byte operState = 0;
        var attributes = message.Attributes(IfInfoMsg.Size);
        foreach (var attribute in attributes)
        {
            switch (attribute.Type)
            {
                case IflaAttribute.IfName:
                    name = attribute.GetString();
                    break;
                case IflaAttribute.Address:
                    hardware = new PhysicalAddress(attribute.Value.ToArray());
                    break;
                case IflaAttribute.Mtu:
                    attribute.TryGetUInt32(out mtu);
                    break;
                case IflaAttribute.Master:
                    attribute.TryGetUInt32(out master);
                    break;
                case IflaAttribute.Link:
                    attribute.TryGetUInt32(out lower);
                    break;
                case IflaAttribute.OperState:
                    attribute.TryGetUInt8(out operState);
                    break;
                case IflaAttribute.LinkInfo:
                    foreach (var inner in attribute.Nested)
                    {
                        if (inner.Type == IflaAttribute.InfoKind)
                        {
                            kind = inner.GetString();
                        }
                    }
                    break;
            }
        }
        if (name is null)
        {
            return false;
        }
        link = new LinkInfo(info.Index, name, (LinkFlags)info.Flags, (int)mtu, hardware, kind)
        {
            OperationalState = (LinkOperationalState)operState,
            MasterIndex = (int)master,
            LinkIndex = (int)lower,
            DeviceType = info.Type,
        };
        return true;
    }

    public static void WriteGetAddresses(NetlinkMessageWriter writer, uint sequence, AddressFamily family)
    {
        writer.BeginMessage(RtmType.GetAddr, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        writer.Write(new IfAddrMsg { Family = FamilyNumber(family) });
        writer.EndMessage();
    }

    /// <summary>
    /// RTM_NEWADDR (create, exclusive) or RTM_DELADDR for <paramref name="address"/>, with NLM_F_ACK.
    /// Attributes follow iproute2's order so the bytes match `ip addr add` exactly.
    /// </summary>
    public static void WriteAddressRequest(NetlinkMessageWriter writer, uint sequence, InterfaceAddress address, bool add)
    {
        var ipv4 = address.Address.AddressFamily == AddressFamily.InterNetwork;
        var flags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;
        if (add)
        {
            flags |= NetlinkMessageFlags.Excl | NetlinkMessageFlags.Create;
        }
        writer.BeginMessage(add ? RtmType.NewAddr : RtmType.DelAddr, flags, sequence);
        writer.Write(new IfAddrMsg
        {
            Family = FamilyNumber(address.Address.AddressFamily),
            PrefixLength = (byte)address.PrefixLength,
            Scope = (byte)address.Scope,
            Index = address.InterfaceIndex,
        });
        Span<byte> bytes = stackalloc byte[16];
        writer.AddAttribute(IfaAttribute.Local, AddressBytes(address.Address, bytes));
        if (add)
        {
            if (ipv4 && address.Broadcast is not null)
            {
                writer.AddAttribute(IfaAttribute.Broadcast, AddressBytes(address.Broadcast, bytes));
            }
            if (ipv4 && address.Label is not null)
            {
                writer.AddAttribute(IfaAttribute.Label, address.Label);
            }
            if (address.Flags != AddressFlags.None)
            {
                // The full 32-bit flags go in IFA_FLAGS; the 8-bit header field stays 0 as iproute2 sends it.
                writer.AddAttribute(IfaAttribute.Flags, (uint)address.Flags);
            }
            if (address.PreferredLifetime is not null || address.ValidLifetime is not null)
            {
                writer.AddAttribute(IfaAttribute.CacheInfo, new IfaCacheInfo
                {
                    Preferred = Seconds(address.PreferredLifetime),
                    Valid = Seconds(address.ValidLifetime),
                });
            }
            writer.AddAttribute(IfaAttribute.Address, AddressBytes(address.Peer ?? address.Address, bytes));
        }
        writer.EndMessage();
    }

    /// <summary>Decodes RTM_NEWADDR / RTM_DELADDR; false for other families or malformed messages.</summary>
    public static bool TryParseAddress(in NetlinkMessage message, out InterfaceAddress address)
    {
        address = null!;
        if (message.Header.Type is not (RtmType.NewAddr or RtmType.DelAddr) || !message.TryReadFamilyHeader(out IfAddrMsg header))
        {
            return false;
        }
        var length = header.Family switch
        {
            AF_INET => 4,
            AF_INET6 => 16,
            _ => 0,
        };
        if (length == 0)
        {
            return false;
        }
        IPAddress? local = null, peer = null, broadcast = null;
        string? label = null;
        uint flags = header.Flags;
        TimeSpan? preferred = null, valid = null;
        foreach (var attribute in message.Attributes(IfAddrMsg.Size))
        {
            switch (attribute.Type)
            {
                case IfaAttribute.Local when attribute.Value.Length == length:
                    local = new IPAddress(attribute.Value);
                    break;
                case IfaAttribute.Address when attribute.Value.Length == length:
                    peer = new IPAddress(attribute.Value);
                    break;
                case IfaAttribute.Broadcast when attribute.Value.Length == length:
                    broadcast = new IPAddress(attribute.Value);
                    break;
                case IfaAttribute.Label:
                    label = attribute.GetString();
                    break;
                case IfaAttribute.Flags:
                    attribute.TryGetUInt32(out flags);
                    break;
                case IfaAttribute.CacheInfo when attribute.Value.Length >= 8:
                    var info = System.Runtime.InteropServices.MemoryMarshal.Read<IfaCacheInfo>(attribute.Value);
                    preferred = Lifetime(info.Preferred);
                    valid = Lifetime(info.Valid);
                    break;
            }
        }
        // IPv6 reports only IFA_ADDRESS unless there is a peer; IPv4 always reports IFA_LOCAL.
        var own = local ?? peer;
        if (own is null)
        {
            return false;
        }
        address = new InterfaceAddress(header.Index, own, header.PrefixLength)
        {
            Broadcast = broadcast,
            Peer = local is not null && peer is not null && !peer.Equals(local) ? peer : null,
            Scope = (AddressScope)header.Scope,
            Label = label,
            Flags = (AddressFlags)flags,
            PreferredLifetime = preferred,
            ValidLifetime = valid,
        };
        return true;
    }

    internal static byte FamilyNumber(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => AF_INET,
        AddressFamily.InterNetworkV6 => AF_INET6,
        AddressFamily.Unspecified => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Only IPv4, IPv6 or Unspecified."),
    };

    private static ReadOnlySpan<byte> AddressBytes(IPAddress address, Span<byte> buffer)
    {
        address.TryWriteBytes(buffer, out var written);
        return buffer[..written];
    }

    private static uint Seconds(TimeSpan? lifetime) =>
        lifetime is { } value ? (uint)Math.Clamp(value.TotalSeconds, 0, IfaCacheInfo.Forever - 1) : IfaCacheInfo.Forever;

    private static TimeSpan? Lifetime(uint seconds) =>
        seconds == IfaCacheInfo.Forever ? null : TimeSpan.FromSeconds(seconds);
}
