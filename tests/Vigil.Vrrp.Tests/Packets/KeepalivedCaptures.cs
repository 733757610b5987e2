namespace Vigil.Vrrp.Tests.Packets;

/// <summary>
/// Adverts sent by the real keepalived 2.2.7 (Debian package), captured in a lab.
/// How: one network namespace with a veth pair vk0/vk1 (10.77.0.1/24 and fd77::1/64 on vk0, a permanent
/// neighbour entry 10.77.0.2 -> 02:00:00:00:00:02 so unicast adverts leave the host), keepalived
/// <c>-n -l -D -P -f conf -p/-r/-c pidfiles-in-a-temp-dir</c> run inside <c>ip netns exec</c> with one
/// vrrp_instance per case below, <c>dumpcap -i vk1</c> for ~10 s, keepalived stopped with SIGTERM by PID
/// (which makes it send the priority-0 adverts), namespace deleted. Hex taken from the pcap frames after the
/// 14-byte Ethernet header; tshark reported every checksum as good.
/// Facts observed: TOS/traffic class 0xc0, TTL/hop limit 255, IPv4 identification counts 1, 2, ... per
/// instance, no DF bit; AH replaces protocol 112 by 51.
/// </summary>
internal static class KeepalivedCaptures
{
    /// <summary>vrid 11, v2, prio 100, advert_int 1, no auth, VIPs 10.77.0.11 and 10.77.0.111, 10.77.0.1 -> 224.0.0.18.</summary>
    public const string V2Plain = "45c0002c00010000ff70d0400a4d0001e0000012210b6402000165dd0a4d000b0a4d006f0000000000000000";

    /// <summary>The same instance stopping: priority 0, IP id 7.</summary>
    public const string V2PlainPriorityZero = "45c0002c00070000ff70d03a0a4d0001e0000012210b00020001c9dd0a4d000b0a4d006f0000000000000000";

    /// <summary>vrid 12, v2, prio 150, advert_int 2, auth PASS "secret12longer" (keepalived truncates to "secret12"), VIP 10.77.0.12.</summary>
    public const string V2Pass = "45c0002800010000ff70d0440a4d0001e0000012210c96010102d0180a4d000c7365637265743132";

    /// <summary>vrid 13, v2, prio 200, advert_int 1, auth AH "ahsecret", VIP 10.77.0.13; IP id 1, AH seq 1.</summary>
    public const string V2Ah = "45c0004000010000ff33d0690a4d0001e0000012700400000a4d0001000000012a8c2d193d1f4bd7df3bac5d210dc80102010a960a4d000d0000000000000000";

    /// <summary>The AH instance stopping: priority 0, IP id 7, AH seq 7.</summary>
    public const string V2AhPriorityZero = "45c0004000070000ff33d0630a4d0001e0000012700400000a4d000100000007dd697e25a492c8405e8403d8210d00010201d2960a4d000d0000000000000000";

    /// <summary>vrid 14, v3, prio 100, advert_int 1 (100 cs), VIPs 10.77.0.14 and 10.77.0.114; checksum with pseudo-header.</summary>
    public const string V3IPv4 = "45c0002400010000ff70d0480a4d0001e0000012310e640200646a900a4d000e0a4d0072";

    /// <summary>The v3 IPv4 instance stopping: priority 0, IP id 7.</summary>
    public const string V3IPv4PriorityZero = "45c0002400070000ff70d0420a4d0001e0000012310e00020064ce900a4d000e0a4d0072";

    /// <summary>vrid 15, v3, prio 120, advert_int 0.5 (50 cs), VIP 10.77.0.15.</summary>
    public const string V3IPv4HalfSecond = "45c0002000010000ff70d04c0a4d0001e0000012310f7801003261840a4d000f";

    /// <summary>vrid 17, v3, prio 255 state MASTER, unicast 10.77.0.1 -> 10.77.0.2, VIP 10.77.0.17.</summary>
    public const string V3IPv4Unicast = "45c0002000010000ff70a6100a4d00010a4d00023111ff010064b0110a4d0011";

    /// <summary>vrid 18, v2, prio 255 state MASTER, unicast 10.77.0.1 -> 10.77.0.2, VIP 10.77.0.18.</summary>
    public const string V2IPv4Unicast = "45c0002800010000ff70a6080a4d00010a4d00022112ff010001d58b0a4d00120000000000000000";

    /// <summary>IPv6 source of <see cref="V3IPv6Payload"/> (vk0's link-local address); destination ff02::12, hop limit 255.</summary>
    public const string V3IPv6Source = "fe80::b8bd:50ff:fee1:1a3a";

    /// <summary>The IPv6 header of the v3 IPv6 advert (flow label 0x6ec94, payload length 40, next header 112, hop limit 255).</summary>
    public const string V3IPv6Header = "6c06ec94002870fffe80000000000000b8bd50fffee11a3aff020000000000000000000000000012";

    /// <summary>vrid 16, v3 IPv6, prio 100, advert_int 0.1 (10 cs), VIPs fe80::16 and fd77::16; VRRP part only.</summary>
    public const string V3IPv6Payload = "31106402000a4db7fe800000000000000000000000000016fd770000000000000000000000000016";

    /// <summary>The IPv6 instance stopping: priority 0.</summary>
    public const string V3IPv6PriorityZeroPayload = "31100002000ab1b7fe800000000000000000000000000016fd770000000000000000000000000016";

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);
}
