using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static Vigil.Linux.Interop.Constants;

namespace Vigil.Linux.Netlink.Route;

/// <summary>struct rtmsg (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RtMsg
{
    public const int Size = 12;

    public byte Family;
    public byte DestinationLength;
    public byte SourceLength;
    public byte Tos;
    public byte Table;
    public byte Protocol;
    public byte Scope;
    public byte Type;
    public uint Flags;
}

/// <summary>struct fib_rule_hdr (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FibRuleHdr
{
    public const int Size = 12;

    public byte Family;
    public byte DestinationLength;
    public byte SourceLength;
    public byte Tos;
    public byte Table;
    public byte Reserved1;
    public byte Reserved2;
    public byte Action;
    public uint Flags;
}

/// <summary>Encodes and decodes routes (RTM_*ROUTE) and rules (RTM_*RULE). Pure code; attribute order as iproute2's.</summary>
internal static class RouteCodec
{
    private const ushort RtaDst = 1;
    private const ushort RtaSrc = 2;
    private const ushort RtaOif = 4;
    private const ushort RtaGateway = 5;
    private const ushort RtaPriority = 6;
    private const ushort RtaPrefSrc = 7;
    private const ushort RtaTable = 15;
    private const uint RtnhFOnLink = 4;

    private const ushort FraDst = 1;
    private const ushort FraSrc = 2;
    private const ushort FraIifName = 3;
    private const ushort FraPriority = 6;
    private const ushort FraFwMark = 10;
    private const ushort FraTable = 15;
    private const ushort FraFwMask = 16;
    private const ushort FraOifName = 17;
    private const ushort FraProtocol = 21;
    private const uint FibRuleInvert = 2;

    public static NetlinkMessageFlags ChangeFlags(RouteChange change) => NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | change switch
    {
        RouteChange.Create => NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl,
        RouteChange.Replace => NetlinkMessageFlags.Create | NetlinkMessageFlags.Replace,
        _ => NetlinkMessageFlags.None,
    };

    public static void WriteRoute(NetlinkMessageWriter writer, uint sequence, RouteEntry route, RouteChange change)
    {
        writer.BeginMessage(change == RouteChange.Delete ? RtmType.DelRoute : RtmType.NewRoute, ChangeFlags(change), sequence);
        writer.Write(new RtMsg
        {
            Family = RtnlCodec.FamilyNumber(route.Destination.AddressFamily),
            DestinationLength = (byte)route.PrefixLength,
            SourceLength = (byte)route.SourcePrefixLength,
            Tos = route.Tos,
            // Tables above 255 only fit in RTA_TABLE; the header then says RT_TABLE_UNSPEC.
            Table = route.Table < 256 ? (byte)route.Table : (byte)0,
            Protocol = route.Protocol,
            Scope = (byte)route.Scope,
            Type = (byte)route.Type,
            Flags = route.OnLink ? RtnhFOnLink : 0,
        });
        Span<byte> bytes = stackalloc byte[16];
        if (route.PrefixLength > 0)
        {
            writer.AddAttribute(RtaDst, Bytes(route.Destination, bytes));
        }
        if (route.Source is not null)
        {
            writer.AddAttribute(RtaSrc, Bytes(route.Source, bytes));
        }
        if (route.Gateway is not null)
        {
            writer.AddAttribute(RtaGateway, Bytes(route.Gateway, bytes));
        }
        if (route.PreferredSource is not null)
        {
            writer.AddAttribute(RtaPrefSrc, Bytes(route.PreferredSource, bytes));
        }
        if (route.Metric is { } metric)
        {
            writer.AddAttribute(RtaPriority, metric);
        }
        if (route.Table >= 256)
        {
            writer.AddAttribute(RtaTable, route.Table);
        }
        if (route.OutputInterfaceIndex != 0)
        {
            writer.AddAttribute(RtaOif, (uint)route.OutputInterfaceIndex);
        }
        writer.EndMessage();
    }

    public static void WriteGetRoutes(NetlinkMessageWriter writer, uint sequence, AddressFamily family)
    {
        writer.BeginMessage(RtmType.GetRoute, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        writer.Write(new RtMsg { Family = RtnlCodec.FamilyNumber(family) });
        writer.EndMessage();
    }

    public static bool TryParseRoute(in NetlinkMessage message, out RouteEntry route)
    {
        route = null!;
        if (message.Header.Type is not (RtmType.NewRoute or RtmType.DelRoute) || !message.TryReadFamilyHeader(out RtMsg header)
            || !TryAddressLength(header.Family, out var length, out var unspecified))
        {
            return false;
        }
        IPAddress destination = unspecified;
        IPAddress? source = null, gateway = null, preferred = null;
        uint? metric = null;
        uint table = header.Table;
        uint oif = 0;
        foreach (var attribute in message.Attributes(RtMsg.Size))
        {
            switch (attribute.Type)
            {
                case RtaDst when attribute.Value.Length == length:
                    destination = new IPAddress(attribute.Value);
                    break;
                case RtaSrc when attribute.Value.Length == length:
                    source = new IPAddress(attribute.Value);
                    break;
                case RtaGateway when attribute.Value.Length == length:
                    gateway = new IPAddress(attribute.Value);
                    break;
                case RtaPrefSrc when attribute.Value.Length == length:
                    preferred = new IPAddress(attribute.Value);
                    break;
                case RtaPriority when attribute.TryGetUInt32(out var m):
                    metric = m;
                    break;
                case RtaTable when attribute.TryGetUInt32(out var t):
                    table = t;
                    break;
                case RtaOif:
                    attribute.TryGetUInt32(out oif);
                    break;
            }
        }
        route = new RouteEntry(destination, header.DestinationLength)
        {
            Type = (RouteType)header.Type,
            Gateway = gateway,
            OutputInterfaceIndex = (int)oif,
            PreferredSource = preferred,
            Source = source,
            SourcePrefixLength = header.SourceLength,
            Table = table,
            Metric = metric,
            Scope = (RouteScope)header.Scope,
            Protocol = header.Protocol,
            Tos = header.Tos,
            OnLink = (header.Flags & RtnhFOnLink) != 0,
        };
        return true;
    }

    public static void WriteRule(NetlinkMessageWriter writer, uint sequence, RoutingRule rule, RouteChange change)
    {
        writer.BeginMessage(change == RouteChange.Delete ? RtmType.DelRule : RtmType.NewRule, ChangeFlags(change), sequence);
        writer.Write(new FibRuleHdr
        {
            Family = RtnlCodec.FamilyNumber(rule.Family),
            DestinationLength = (byte)rule.DestinationPrefixLength,
            SourceLength = (byte)rule.SourcePrefixLength,
            Tos = rule.Tos,
            Table = rule.Table < 256 ? (byte)rule.Table : (byte)0,
            Action = (byte)rule.Action,
            Flags = rule.Invert ? FibRuleInvert : 0,
        });
        Span<byte> bytes = stackalloc byte[16];
        if (rule.Source is not null)
        {
            writer.AddAttribute(FraSrc, Bytes(rule.Source, bytes));
        }
        if (rule.Destination is not null)
        {
            writer.AddAttribute(FraDst, Bytes(rule.Destination, bytes));
        }
        if (rule.Table >= 256)
        {
            writer.AddAttribute(FraTable, rule.Table);
        }
        if (rule.Priority is { } priority)
        {
            writer.AddAttribute(FraPriority, priority);
        }
        if (rule.FirewallMark is { } mark)
        {
            writer.AddAttribute(FraFwMark, mark);
        }
        if (rule.FirewallMask is { } mask)
        {
            writer.AddAttribute(FraFwMask, mask);
        }
        if (rule.InputInterface is not null)
        {
            writer.AddAttribute(FraIifName, rule.InputInterface);
        }
        if (rule.OutputInterface is not null)
        {
            writer.AddAttribute(FraOifName, rule.OutputInterface);
        }
        if (rule.Protocol is { } protocol)
        {
            writer.AddAttribute(FraProtocol, protocol);
        }
        writer.EndMessage();
    }

    public static void WriteGetRules(NetlinkMessageWriter writer, uint sequence, AddressFamily family)
    {
        writer.BeginMessage(RtmType.GetRule, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        writer.Write(new FibRuleHdr { Family = RtnlCodec.FamilyNumber(family) });
        writer.EndMessage();
    }

    public static bool TryParseRule(in NetlinkMessage message, out RoutingRule rule)
    {
        rule = null!;
        if (message.Header.Type is not (RtmType.NewRule or RtmType.DelRule) || !message.TryReadFamilyHeader(out FibRuleHdr header)
            || !TryAddressLength(header.Family, out var length, out _))
        {
            return false;
        }
        IPAddress? source = null, destination = null;
        uint? priority = null, mark = null, mask = null;
        uint table = header.Table;
        string? iif = null, oif = null;
        byte? protocol = null;
        foreach (var attribute in message.Attributes(FibRuleHdr.Size))
        {
            switch (attribute.Type)
            {
                case FraSrc when attribute.Value.Length == length:
                    source = new IPAddress(attribute.Value);
                    break;
                case FraDst when attribute.Value.Length == length:
                    destination = new IPAddress(attribute.Value);
                    break;
                case FraTable when attribute.TryGetUInt32(out var t):
                    table = t;
                    break;
                case FraPriority when attribute.TryGetUInt32(out var p):
                    priority = p;
                    break;
                case FraFwMark when attribute.TryGetUInt32(out var m):
                    mark = m;
                    break;
                case FraFwMask when attribute.TryGetUInt32(out var k):
                    mask = k;
                    break;
                case FraIifName:
                    iif = attribute.GetString();
                    break;
                case FraOifName:
                    oif = attribute.GetString();
                    break;
                case FraProtocol when attribute.TryGetUInt8(out var proto):
                    protocol = proto;
                    break;
            }
        }
        rule = new RoutingRule(header.Family == AF_INET ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6)
        {
            Action = (RuleAction)header.Action,
            Table = table,
            Priority = priority,
            Source = source,
            SourcePrefixLength = header.SourceLength,
            Destination = destination,
            DestinationPrefixLength = header.DestinationLength,
            FirewallMark = mark,
            FirewallMask = mask,
            InputInterface = iif,
            OutputInterface = oif,
            Tos = header.Tos,
            Invert = (header.Flags & FibRuleInvert) != 0,
            Protocol = protocol,
        };
        return true;
    }

    private static bool TryAddressLength(byte family, out int length, out IPAddress unspecified)
    {
        (length, unspecified) = family switch
        {
            AF_INET => (4, IPAddress.Any),
            AF_INET6 => (16, IPAddress.IPv6Any),
            _ => (0, IPAddress.None),
        };
        return length != 0;
    }

    private static ReadOnlySpan<byte> Bytes(IPAddress address, Span<byte> buffer)
    {
        address.TryWriteBytes(buffer, out var written);
        return buffer[..written];
    }
}

/// <summary>How a route or rule request changes the kernel's table.</summary>
internal enum RouteChange
{
    Create,
    Replace,
    Delete,
}
