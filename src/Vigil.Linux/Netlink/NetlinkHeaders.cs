using System.Runtime.InteropServices;

namespace Vigil.Linux.Netlink;

/// <summary>struct nlmsghdr (linux/netlink.h): 16 bytes, host byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgHdr
{
    public const int Size = 16;

    public uint Length;
    public ushort Type;
    public NetlinkMessageFlags Flags;
    public uint Sequence;
    public uint PortId;
}

/// <summary>nlmsg_flags (linux/netlink.h). GET requests and NEW requests reuse the same bits.</summary>
#pragma warning disable CA1069 // the kernel gives one bit different meanings per request kind
[Flags]
internal enum NetlinkMessageFlags : ushort
{
    None = 0,
    Request = 0x01,
    Multi = 0x02,
    Ack = 0x04,
    Echo = 0x08,
    DumpInterrupted = 0x10,
    DumpFiltered = 0x20,

    // GET requests
    Root = 0x100,
    Match = 0x200,
    Atomic = 0x400,
    Dump = Root | Match,

    // NEW requests
    Replace = 0x100,
    Excl = 0x200,
    Create = 0x400,
    Append = 0x800,

    // NLMSG_ERROR acknowledgements
    Capped = 0x100,
    AckTlvs = 0x200,
}
#pragma warning restore CA1069

/// <summary>Control message types shared by every netlink family.</summary>
internal static class NetlinkMessageType
{
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;

    /// <summary>Types below this are control messages; family messages start here.</summary>
    public const ushort MinFamilyType = 16;
}

/// <summary>Attributes of an extended ACK (linux/netlink.h, enum nlmsgerr_attrs).</summary>
internal static class NetlinkErrorAttribute
{
    public const ushort Message = 1;
    public const ushort Offset = 2;
}

/// <summary>NETLINK_* protocol numbers for socket(AF_NETLINK, ..., protocol).</summary>
public enum NetlinkProtocol
{
    Route = 0,
    Netfilter = 12,
    Generic = 16,
}
