using System.Net;

namespace Vigil.Linux.Vrrp;

/// <summary>The fields of an IPv4 header that VRRP reception needs (RFC 791). Pure, never throws.</summary>
internal readonly record struct IPv4Header(int HeaderLength, int TotalLength, int Ttl, int Protocol, IPAddress Source, IPAddress Destination)
{
    public const int MinLength = 20;

    /// <summary>False for anything that is not a whole IPv4 header with a sane IHL.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out IPv4Header header)
    {
        header = default;
        if (datagram.Length < MinLength || datagram[0] >> 4 != 4)
        {
            return false;
        }
        var headerLength = (datagram[0] & 0x0F) * 4;
        if (headerLength < MinLength || headerLength > datagram.Length)
        {
            return false;
        }
        var totalLength = (datagram[2] << 8) | datagram[3];
        header = new IPv4Header(headerLength, totalLength, datagram[8], datagram[9], new IPAddress(datagram[12..16]), new IPAddress(datagram[16..20]));
        return true;
    }
}
