using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Linux.Netlink;

/// <summary>One message: its header and the bytes after the header (family header, then attributes).</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(NlMsgHdr header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    public NlMsgHdr Header { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Reads the family header at the start of the payload; false if the payload is too short.</summary>
    public bool TryReadFamilyHeader<T>(out T value)
        where T : unmanaged
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (Payload.Length < size)
        {
            value = default;
            return false;
        }
        value = MemoryMarshal.Read<T>(Payload);
        return true;
    }

    /// <summary>The attributes after a family header of <paramref name="familyHeaderSize"/> bytes.</summary>
    public NetlinkAttributeReader Attributes(int familyHeaderSize)
    {
        var offset = NetlinkMessageWriter.Align(familyHeaderSize);
        return new NetlinkAttributeReader(offset <= Payload.Length ? Payload[offset..] : ReadOnlySpan<byte>.Empty);
    }
}

/// <summary>
/// Walks the messages of one datagram. Malformed input ends the walk (and sets <see cref="Malformed"/>);
/// it never throws, since the bytes come from outside.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram)
    {
        _remaining = datagram;
        Malformed = false;
    }

    public bool Malformed { get; private set; }

    public bool TryRead(out NetlinkMessage message)
    {
        message = default;
        if (_remaining.Length < NlMsgHdr.Size)
        {
            Malformed |= !_remaining.IsEmpty;
            _remaining = ReadOnlySpan<byte>.Empty;
            return false;
        }
        var header = MemoryMarshal.Read<NlMsgHdr>(_remaining);
        if (header.Length < NlMsgHdr.Size || header.Length > _remaining.Length)
        {
            Malformed = true;
            _remaining = ReadOnlySpan<byte>.Empty;
            return false;
        }
        message = new NetlinkMessage(header, _remaining[NlMsgHdr.Size..(int)header.Length]);
        var next = Math.Min(NetlinkMessageWriter.Align((int)header.Length), _remaining.Length);
        _remaining = _remaining[next..];
        return true;
    }
}

/// <summary>A netlink attribute: its type (flags stripped) and value (padding stripped).</summary>
internal readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort type, bool nested, ReadOnlySpan<byte> value)
    {
        Type = type;
        IsNested = nested;
        Value = value;
    }

    public ushort Type { get; }

    public bool IsNested { get; }

    public ReadOnlySpan<byte> Value { get; }

    public NetlinkAttributeReader Nested => new(Value);

    public bool TryGetUInt8(out byte value)
    {
        value = Value.Length >= 1 ? Value[0] : (byte)0;
        return Value.Length >= 1;
    }

    public bool TryGetUInt16(out ushort value)
    {
        var ok = Value.Length >= 2;
        value = ok ? BinaryPrimitives.ReadUInt16LittleEndian(Value) : (ushort)0;
        return ok;
    }

    public bool TryGetUInt32(out uint value)
    {
        var ok = Value.Length >= 4;
        value = ok ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : 0;
        return ok;
    }

    /// <summary>The value as a string, up to the first NUL (strings from the kernel are NUL-terminated).</summary>
    public string GetString()
    {
        var end = Value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? Value[..end] : Value);
    }
}

/// <summary>Enumerates attributes (use in foreach). Stops at the first malformed attribute.</summary>
internal ref struct NetlinkAttributeReader
{
    public const ushort NestedFlag = 0x8000;
    public const ushort NetByteOrderFlag = 0x4000;
    private const ushort TypeMask = 0x3FFF;

    private ReadOnlySpan<byte> _remaining;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes)
    {
        _remaining = attributes;
        Current = default;
        Malformed = false;
    }

    public NetlinkAttribute Current { get; private set; }

    public bool Malformed { get; private set; }

    public readonly NetlinkAttributeReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.Length < 4)
        {
            Malformed |= !_remaining.IsEmpty;
            _remaining = ReadOnlySpan<byte>.Empty;
            return false;
        }
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        var rawType = BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]);
        if (length < 4 || length > _remaining.Length)
        {
            Malformed = true;
            _remaining = ReadOnlySpan<byte>.Empty;
            return false;
        }
        Current = new NetlinkAttribute((ushort)(rawType & TypeMask), (rawType & NestedFlag) != 0, _remaining[4..length]);
        var next = Math.Min(NetlinkMessageWriter.Align(length), _remaining.Length);
        _remaining = _remaining[next..];
        return true;
    }
}
