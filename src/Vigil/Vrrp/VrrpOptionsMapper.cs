using System.Net;
using System.Net.Sockets;
using Vigil.Config;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Packets;
using ConfigVrrpState = Vigil.Config.VrrpState;
using FsmVrrpState = Vigil.Vrrp.Fsm.VrrpState;

namespace Vigil.Vrrp;

/// <summary>Maps a vrrp_instance (global defaults already applied by the config binder) onto router options.</summary>
internal static class VrrpOptionsMapper
{
    /// <param name="primaryAddress">The address adverts come from: mcast_src_ip / unicast_src_ip, else the
    /// interface's first address of the instance's family (IPv6: its link-local address), as keepalived picks.</param>
    public static VrrpInstanceOptions Map(VrrpInstanceConfig instance, GlobalDefsConfig global, IPAddress primaryAddress)
    {
        var family = primaryAddress.AddressFamily;
        var version = family == AddressFamily.InterNetworkV6 ? VrrpVersion.V3 : instance.Version == 3 ? VrrpVersion.V3 : VrrpVersion.V2;
        var vips = instance.VirtualIpAddresses.Select(v => v.Address).ToArray();
        return new VrrpInstanceOptions
        {
            Name = instance.Name,
            VirtualRouterId = (byte)instance.VirtualRouterId,
            PrimaryAddress = primaryAddress,
            Version = version,
            Priority = instance.Priority,
            AdvertInterval = instance.AdvertInterval,
            NoPreempt = instance.Nopreempt,
            PreemptDelay = instance.PreemptDelay,
            InitialState = instance.State == ConfigVrrpState.Master ? FsmVrrpState.Master : FsmVrrpState.Backup,
            Accept = instance.Accept,
            VirtualAddresses = vips,
            ExcludedAddresses = [.. instance.VirtualIpAddressesExcluded.Select(v => v.Address)],
            AuthType = instance.Authentication?.Type switch
            {
                Config.VrrpAuthType.Pass => Packets.VrrpAuthType.Pass,
                Config.VrrpAuthType.Ah => Packets.VrrpAuthType.Ah,
                _ => Packets.VrrpAuthType.None,
            },
            AuthPassword = instance.Authentication?.Password,
            DownTimerAdverts = instance.DownTimerAdverts,
            GarpMasterDelay = instance.GarpMasterDelay,
            GarpMasterRepeat = instance.GarpMasterRepeat,
            GarpLowerPrioDelay = instance.GarpLowerPrioDelay,
            GarpLowerPrioRepeat = instance.GarpLowerPrioRepeat,
            GarpMasterRefresh = instance.GarpMasterRefresh,
            GarpMasterRefreshRepeat = instance.GarpMasterRefreshRepeat,
            LowerPrioNoAdvert = instance.LowerPrioNoAdvert,
            HigherPrioSendAdvert = instance.HigherPrioSendAdvert,
            OwnerIgnoreAdverts = instance.OwnerIgnoreAdverts,
            SkipCheckAdvAddr = instance.SkipCheckAdvAddr,
            UnicastPeers = [.. instance.UnicastPeers.Select(p => p.Address).Where(a => a.AddressFamily == family)],
            MulticastGroup = instance.McastDstIp ?? (family == AddressFamily.InterNetworkV6 ? global.VrrpMcastGroup6 : global.VrrpMcastGroup4),
            V3ChecksumAsV2 = instance.V3ChecksumAsV2,
            CheckUnicastSource = instance.CheckUnicastSrc,
            UnicastMinTtl = instance.UnicastPeers.Select(p => p.MinTtl ?? 0).DefaultIfEmpty(0).Max(),
            UnicastMaxTtl = instance.UnicastPeers.Select(p => p.MaxTtl ?? 255).DefaultIfEmpty(255).Min(),
        };
    }

    /// <summary>The family an instance runs on: that of its first VIP, else of its source address, else IPv4.</summary>
    public static AddressFamily FamilyOf(VrrpInstanceConfig instance) =>
        instance.VirtualIpAddresses.Count > 0 ? instance.VirtualIpAddresses[0].Address.AddressFamily
        : (instance.UnicastSrcIp ?? instance.McastSrcIp)?.AddressFamily ?? AddressFamily.InterNetwork;
}
