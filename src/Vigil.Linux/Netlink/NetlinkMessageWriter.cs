using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Linux.Netlink;

/// <summary>
/// Builds one or more netlink messages into a growable buffer: header, family header, attributes
/// (nested too), each padded to 4 bytes as NLMSG_ALIGN and NLA_ALIGN require. Pure code.
/// </summary>
internal sealed class NetlinkMessageWriter
{
    public const int Alignment = 4;
    private const int AttributeHeaderSize = 4;

    private byte[] _buffer;
    private int _length;
    private int _messageStart = -1;

    public NetlinkMessageWriter(int initialCapacity = 512)
    {
        _buffer = new byte[initialCapacity];
    }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public int MessageCount { get; private set; }

    public static int Align(int length) => (length + Alignment - 1) & ~(Alignment - 1);

    public void Clear()
    {
        _length = 0;
        _messageStart = -1;
        MessageCount = 0;
    }

    public void BeginMessage(ushort type, NetlinkMessageFlags flags, uint sequence, uint portId = 0)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("EndMessage was not called for the previous message.");
        }
        _messageStart = _length;
        var header = new NlMsgHdr { Type = type, Flags = flags, Sequence = sequence, PortId = portId };
        Write(header);
    }

    /// <summary>Appends a fixed family header (ifinfomsg, ifaddrmsg, genlmsghdr...), padded.</summary>
    public void Write<T>(in T value)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));
        Append(bytes);
        Pad();
    }

    public void AddAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        // nla_len counts the 4-byte header and the value, not the padding after it.
        var total = AttributeHeaderSize + value.Length;
        if (total > ushort.MaxValue)
        {
            throw new ArgumentException($"Attribute {type} is {value.Length} bytes; netlink attributes hold at most {ushort.MaxValue - AttributeHeaderSize}.", nameof(value));
        }
        Span<byte> header = stackalloc byte[AttributeHeaderSize];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)total);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], type);
        Append(header);
        Append(value);
        Pad();
    }

    public void AddAttribute(ushort type, byte value) => AddAttribute(type, [value]);

    public void AddAttribute(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        AddAttribute(type, bytes);
    }

    public void AddAttribute(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        AddAttribute(type, bytes);
    }

    /// <summary>
    /// Adds a string attribute, NUL-terminated unless <paramref name="terminate"/> is false (iproute2
    /// sends IFLA_INFO_KIND unterminated; NLA_STRING accepts both, NLA_NUL_STRING needs the NUL).
    /// </summary>
    public void AddAttribute(ushort type, string value, bool terminate = true)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length) + 1];
        var length = Encoding.UTF8.GetBytes(value, bytes);
        bytes[length] = 0;
        AddAttribute(type, bytes[..(terminate ? length + 1 : length)]);
    }

    public void AddAttribute<T>(ushort type, in T value)
        where T : unmanaged =>
        AddAttribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>
    /// Starts a nested attribute; pass the returned token to <see cref="EndNested"/>. rtnetlink's older
    /// nests (IFLA_LINKINFO) are sent without NLA_F_NESTED by iproute2; the kernel accepts both.
    /// </summary>
    public int BeginNested(ushort type, bool nestedFlag = true)
    {
        var start = _length;
        AddAttribute(nestedFlag ? (ushort)(type | NetlinkAttributeReader.NestedFlag) : type, ReadOnlySpan<byte>.Empty);
        return start;
    }

    public void EndNested(int token)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(token), (ushort)(_length - token));
    }

    public void EndMessage()
    {
        if (_messageStart < 0)
        {
            throw new InvalidOperationException("BeginMessage was not called.");
        }
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_messageStart), (uint)(_length - _messageStart));
        _messageStart = -1;
        MessageCount++;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Pad()
    {
        var padding = Align(_length) - _length;
        EnsureCapacity(padding);
        _buffer.AsSpan(_length, padding).Clear();
        _length += padding;
    }

    private void EnsureCapacity(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
