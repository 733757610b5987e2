using System.Buffers.Binary;
using System.Text;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>Just enough DNS (RFC 1035 §4.1) to ask one question and judge the answer.</summary>
public static class DnsMessage
{
    /// <summary>A standard query with RD set (RFC 1035 §4.1.1).</summary>
    public static byte[] BuildQuery(ushort id, string name, DnsQueryType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        var message = new List<byte>(32);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // RD
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1); // QDCOUNT
        message.AddRange(header.ToArray());
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63) throw new ArgumentException($"bad DNS label in '{name}' [RFC 1035 §2.3.4]", nameof(name));
            message.Add((byte)bytes.Length);
            message.AddRange(bytes);
        }
        message.Add(0);
        message.Add((byte)((ushort)type >> 8));
        message.Add((byte)type);
        message.Add(0);
        message.Add(1); // QCLASS IN
        return [.. message];
    }

    /// <summary>Null when <paramref name="response"/> answers query <paramref name="id"/> with records; else why not.</summary>
    public static string? Judge(ReadOnlySpan<byte> response, ushort id)
    {
        if (response.Length < 12) return "short DNS response";
        if (BinaryPrimitives.ReadUInt16BigEndian(response) != id) return "DNS response id mismatch";
        var flags = BinaryPrimitives.ReadUInt16BigEndian(response[2..]);
        if ((flags & 0x8000) == 0) return "not a DNS response";
        var rcode = flags & 0xF;
        if (rcode != 0) return $"DNS rcode {rcode}";
        var answers = BinaryPrimitives.ReadUInt16BigEndian(response[6..]);
        return answers == 0 ? "DNS response without answers" : null;
    }
}
