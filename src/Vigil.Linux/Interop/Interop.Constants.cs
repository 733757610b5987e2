namespace Vigil.Linux;

internal static partial class Interop
{
    /// <summary>Numbers from linux/socket.h, in.h, in6.h, netlink.h and if_packet.h that the bindings use.</summary>
    internal static class Constants
    {
        public const int AF_INET = 2;
        public const int AF_INET6 = 10;
        public const int AF_NETLINK = 16;
        public const int AF_PACKET = 17;

        public const int SOCK_DGRAM = 2;
        public const int SOCK_RAW = 3;
        public const int SOCK_NONBLOCK = 0x800;
        public const int SOCK_CLOEXEC = 0x80000;

        public const int MSG_PEEK = 0x2;
        public const int MSG_CTRUNC = 0x8;
        public const int MSG_TRUNC = 0x20;
        public const int MSG_DONTWAIT = 0x40;

        public const int SOL_SOCKET = 1;
        public const int SO_RCVBUF = 8;
        public const int SO_RCVTIMEO = 20;
        public const int SO_BINDTODEVICE = 25;
        public const int SO_MARK = 36;
        public const int SO_RCVBUFFORCE = 33;

        public const int IPPROTO_IP = 0;
        public const int IPPROTO_IPV6 = 41;
        public const int IPPROTO_RAW = 255;
        public const int IP_HDRINCL = 3;
        public const int IP_TOS = 1;
        public const int IP_TTL = 2;
        public const int IP_PKTINFO = 8;
        public const int IP_MULTICAST_IF = 32;
        public const int IP_MULTICAST_TTL = 33;
        public const int IP_MULTICAST_LOOP = 34;
        public const int IP_ADD_MEMBERSHIP = 35;
        public const int IP_MULTICAST_ALL = 49;

        public const int IPV6_UNICAST_HOPS = 16;
        public const int IPV6_MULTICAST_IF = 17;
        public const int IPV6_MULTICAST_HOPS = 18;
        public const int IPV6_MULTICAST_LOOP = 19;
        public const int IPV6_ADD_MEMBERSHIP = 20;
        public const int IPV6_RECVPKTINFO = 49;
        public const int IPV6_PKTINFO = 50;
        public const int IPV6_RECVHOPLIMIT = 51;
        public const int IPV6_HOPLIMIT = 52;
        public const int IPV6_TCLASS = 67;
        public const int IPV6_MULTICAST_ALL = 29;

        public const int SOL_NETLINK = 270;
        public const int NETLINK_ADD_MEMBERSHIP = 1;
        public const int NETLINK_CAP_ACK = 10;
        public const int NETLINK_EXT_ACK = 11;

        public const ushort ETH_P_ALL = 0x0003;
        public const ushort ETH_P_IP = 0x0800;
        public const ushort ETH_P_ARP = 0x0806;
        public const ushort ETH_P_IPV6 = 0x86DD;
    }
}
