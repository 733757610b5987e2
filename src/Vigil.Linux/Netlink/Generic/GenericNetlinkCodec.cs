using System.Runtime.InteropServices;

namespace Vigil.Linux.Netlink.Generic;

/// <summary>struct genlmsghdr (4 bytes): command, version, reserved.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GenlMsgHdr
{
    public const int Size = 4;

    public byte Command;
    public byte Version;
    public ushort Reserved;
}

/// <summary>A generic netlink family as the controller (nlctrl) describes it.</summary>
/// <param name="Name">CTRL_ATTR_FAMILY_NAME, e.g. "IPVS".</param>
/// <param name="Id">CTRL_ATTR_FAMILY_ID: the nlmsg_type to send the family's requests with.</param>
/// <param name="Version">CTRL_ATTR_VERSION.</param>
/// <param name="HeaderSize">CTRL_ATTR_HDRSIZE: bytes of family header after genlmsghdr.</param>
/// <param name="MaxAttribute">CTRL_ATTR_MAXATTR.</param>
public sealed record GenericNetlinkFamily(string Name, ushort Id, uint Version, uint HeaderSize, uint MaxAttribute)
{
    /// <summary>CTRL_ATTR_MCAST_GROUPS: group name to group id (for NETLINK_ADD_MEMBERSHIP).</summary>
    public IReadOnlyDictionary<string, uint> MulticastGroups { get; init; } = new Dictionary<string, uint>();
}

/// <summary>Controller requests and replies (linux/genetlink.h). Pure code.</summary>
internal static class GenericNetlinkCodec
{
    /// <summary>GENL_ID_CTRL: the controller's fixed family id.</summary>
    public const ushort ControllerId = 0x10;

    private const byte CommandNewFamily = 1;
    private const byte CommandGetFamily = 3;
    private const ushort AttrFamilyId = 1;
    private const ushort AttrFamilyName = 2;
    private const ushort AttrVersion = 3;
    private const ushort AttrHeaderSize = 4;
    private const ushort AttrMaxAttribute = 5;
    private const ushort AttrMulticastGroups = 7;
    private const ushort AttrGroupName = 1;
    private const ushort AttrGroupId = 2;

    /// <summary>CTRL_CMD_GETFAMILY by name, as `genl ctrl get name NAME` sends it.</summary>
    public static void WriteGetFamily(NetlinkMessageWriter writer, uint sequence, string name)
    {
        writer.BeginMessage(ControllerId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        writer.Write(new GenlMsgHdr { Command = CommandGetFamily });
        writer.AddAttribute(AttrFamilyName, name);
        writer.EndMessage();
    }

    public static bool TryParseFamily(in NetlinkMessage message, out GenericNetlinkFamily family)
    {
        family = null!;
        if (message.Header.Type != ControllerId || !message.TryReadFamilyHeader(out GenlMsgHdr header) || header.Command != CommandNewFamily)
        {
            return false;
        }
        string? name = null;
        ushort id = 0;
        uint version = 0, headerSize = 0, maxAttribute = 0;
        var groups = new Dictionary<string, uint>();
        foreach (var attribute in message.Attributes(GenlMsgHdr.Size))
        {
            switch (attribute.Type)
            {
                case AttrFamilyName:
                    name = attribute.GetString();
                    break;
                case AttrFamilyId:
                    attribute.TryGetUInt16(out id);
                    break;
                case AttrVersion:
                    attribute.TryGetUInt32(out version);
                    break;
                case AttrHeaderSize:
                    attribute.TryGetUInt32(out headerSize);
                    break;
                case AttrMaxAttribute:
                    attribute.TryGetUInt32(out maxAttribute);
                    break;
                case AttrMulticastGroups:
                    // An array: each element is a nest (numbered 1, 2, ...) holding a name and an id.
                    foreach (var element in attribute.Nested)
                    {
                        string? groupName = null;
                        uint groupId = 0;
                        foreach (var field in element.Nested)
                        {
                            if (field.Type == AttrGroupName)
                            {
                                groupName = field.GetString();
                            }
                            else if (field.Type == AttrGroupId)
                            {
                                field.TryGetUInt32(out groupId);
                            }
                        }
                        if (groupName is not null)
                        {
                            groups[groupName] = groupId;
                        }
                    }
                    break;
            }
        }
        if (name is null || id == 0)
        {
            return false;
        }
        family = new GenericNetlinkFamily(name, id, version, headerSize, maxAttribute) { MulticastGroups = groups };
        return true;
    }
}
