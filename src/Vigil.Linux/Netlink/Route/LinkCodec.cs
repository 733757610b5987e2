using System.Net.NetworkInformation;

namespace Vigil.Linux.Netlink.Route;

/// <summary>IFLA_MACVLAN_MODE values (linux/if_link.h).</summary>
public enum MacvlanMode : uint
{
    Private = 1,
    Vepa = 2,
    Bridge = 4,
    Passthru = 8,
    Source = 16,
}

/// <summary>Link changes: create a macvlan (use_vmac), set up/down, delete. Pure code; bytes as iproute2's.</summary>
internal static class LinkCodec
{
    private const ushort InfoData = 2;
    private const ushort MacvlanModeAttribute = 1;
    private const uint IffUp = 0x1;

    public static void WriteCreateMacvlan(NetlinkMessageWriter writer, uint sequence, string name, int parentIndex, PhysicalAddress mac, MacvlanMode mode)
    {
        writer.BeginMessage(RtmType.NewLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, sequence);
        writer.Write(new IfInfoMsg());
        writer.AddAttribute(IflaAttribute.Address, mac.GetAddressBytes());
        writer.AddAttribute(IflaAttribute.Link, (uint)parentIndex);
        writer.AddAttribute(IflaAttribute.IfName, name);
        var linkInfo = writer.BeginNested(IflaAttribute.LinkInfo, nestedFlag: false);
        writer.AddAttribute(IflaAttribute.InfoKind, "macvlan", terminate: false);
        var data = writer.BeginNested(InfoData, nestedFlag: false);
        writer.AddAttribute(MacvlanModeAttribute, (uint)mode);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        writer.EndMessage();
    }

    public static void WriteSetUp(NetlinkMessageWriter writer, uint sequence, int index, bool up)
    {
        writer.BeginMessage(RtmType.NewLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        writer.Write(new IfInfoMsg { Index = index, Flags = up ? IffUp : 0, Change = IffUp });
        writer.EndMessage();
    }

    public static void WriteDelete(NetlinkMessageWriter writer, uint sequence, int index)
    {
        writer.BeginMessage(RtmType.DelLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        writer.Write(new IfInfoMsg { Index = index });
        writer.EndMessage();
    }
}
