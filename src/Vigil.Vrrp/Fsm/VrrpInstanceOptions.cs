using System.Net;
using System.Net.Sockets;
using System.Text;
using Vigil.Vrrp.Packets;

namespace Vigil.Vrrp.Fsm;

/// <summary>
/// Everything one VRRP router needs, independent of the configuration model (the host maps
/// vrrp_instance and global_defs onto this). Defaults are keepalived's.
/// </summary>
public sealed record VrrpInstanceOptions
{
    /// <summary>IPv4 VRRP multicast group [RFC 5798 §5.1.1.2].</summary>
    public static readonly IPAddress DefaultGroupV4 = IPAddress.Parse("224.0.0.18");

    /// <summary>IPv6 VRRP multicast group [RFC 5798 §5.1.2.2].</summary>
    public static readonly IPAddress DefaultGroupV6 = IPAddress.Parse("ff02::12");

    /// <summary>vrrp_instance name.</summary>
    public required string Name { get; init; }

    /// <summary>virtual_router_id, 1-255.</summary>
    public required byte VirtualRouterId { get; init; }

    /// <summary>Our source address for adverts and the tie-break (mcast_src_ip / unicast_src_ip / the interface's primary address).</summary>
    public required IPAddress PrimaryAddress { get; init; }

    /// <summary>version (vrrp_version): 2 by default, IPv6 always 3.</summary>
    public VrrpVersion Version { get; init; } = VrrpVersion.V2;

    /// <summary>Address family of the VIPs and adverts; taken from <see cref="PrimaryAddress"/>.</summary>
    public AddressFamily Family => PrimaryAddress.AddressFamily;

    /// <summary>priority, 1-255 (255 = address owner).</summary>
    public int Priority { get; init; } = 100;

    /// <summary>advert_int: v2 whole seconds, v3 centiseconds (0.01-40.95 s).</summary>
    public TimeSpan AdvertInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>nopreempt.</summary>
    public bool NoPreempt { get; init; }

    /// <summary>preempt_delay (0-1000 s).</summary>
    public TimeSpan PreemptDelay { get; init; }

    /// <summary>state: <see cref="VrrpState.Backup"/> (default) or <see cref="VrrpState.Master"/>.</summary>
    public VrrpState InitialState { get; init; } = VrrpState.Backup;

    /// <summary>accept / no_accept: not used by the state machine, kept for the host's firewall rules.</summary>
    public bool Accept { get; init; } = true;

    /// <summary>virtual_ipaddress: carried in adverts (at most 255).</summary>
    public IReadOnlyList<IPAddress> VirtualAddresses { get; init; } = [];

    /// <summary>virtual_ipaddress_excluded: installed with the VIPs, never advertised.</summary>
    public IReadOnlyList<IPAddress> ExcludedAddresses { get; init; } = [];

    /// <summary>authentication auth_type (v2 only).</summary>
    public VrrpAuthType AuthType { get; init; }

    /// <summary>authentication auth_pass; keepalived compat: only the first 8 characters count.</summary>
    public string? AuthPassword { get; init; }

    /// <summary>down_timer_adverts (1-100, default 3).</summary>
    public int DownTimerAdverts { get; init; } = 3;

    /// <summary>garp_master_delay: second GARP burst this long after becoming MASTER (0 = none).</summary>
    public TimeSpan GarpMasterDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>garp_master_repeat: GARPs per address per burst.</summary>
    public int GarpMasterRepeat { get; init; } = 5;

    /// <summary>garp_lower_prio_delay: second burst after a lower-priority advert (null = garp_master_delay).</summary>
    public TimeSpan? GarpLowerPrioDelay { get; init; }

    /// <summary>garp_lower_prio_repeat (null = garp_master_repeat; 0 = no GARPs on lower-priority adverts).</summary>
    public int? GarpLowerPrioRepeat { get; init; }

    /// <summary>garp_master_refresh: periodic GARPs while MASTER (0 = off).</summary>
    public TimeSpan GarpMasterRefresh { get; init; }

    /// <summary>garp_master_refresh_repeat.</summary>
    public int GarpMasterRefreshRepeat { get; init; } = 1;

    /// <summary>lower_prio_no_advert: MASTER does not answer a lower-priority advert with an advert.</summary>
    public bool LowerPrioNoAdvert { get; init; }

    /// <summary>higher_prio_send_advert: MASTER sends one advert before yielding to a higher priority.</summary>
    public bool HigherPrioSendAdvert { get; init; }

    /// <summary>owner_ignore_adverts: at priority 255, ignore every advert.</summary>
    public bool OwnerIgnoreAdverts { get; init; }

    /// <summary>skip_check_adv_addr: no address-list check on adverts from the master we already know.</summary>
    public bool SkipCheckAdvAddr { get; init; }

    /// <summary>unicast_peer: adverts go to each peer instead of the group.</summary>
    public IReadOnlyList<IPAddress> UnicastPeers { get; init; } = [];

    /// <summary>vrrp_mcast_group4/6 or mcast_dst_ip (null = the RFC group).</summary>
    public IPAddress? MulticastGroup { get; init; }

    /// <summary>v3_checksum_as_v2 (IPv4 v3 checksum without pseudo-header).</summary>
    public bool V3ChecksumAsV2 { get; init; }

    /// <summary>check_unicast_src.</summary>
    public bool CheckUnicastSource { get; init; }

    /// <summary>unicast_peer min_ttl (0 = none).</summary>
    public int UnicastMinTtl { get; init; }

    /// <summary>unicast_peer max_ttl (255 = none).</summary>
    public int UnicastMaxTtl { get; init; } = 255;

    /// <summary>Where adverts go: the unicast peers, or the multicast group.</summary>
    public IReadOnlyList<IPAddress> Destinations =>
        UnicastPeers.Count > 0 ? UnicastPeers : [MulticastGroup ?? (Family == AddressFamily.InterNetworkV6 ? DefaultGroupV6 : DefaultGroupV4)];

    /// <summary>The key bytes: auth_pass truncated to 8 bytes.</summary>
    public byte[] AuthKey
    {
        get
        {
            byte[] bytes = AuthPassword is null ? [] : Encoding.UTF8.GetBytes(AuthPassword);
            return bytes.Length > VrrpCodec.V2AuthDataLength ? bytes[..VrrpCodec.V2AuthDataLength] : bytes;
        }
    }

    /// <summary>
    /// Applies keepalived's adjustments and returns the options the router runs with, and one line per change.
    /// </summary>
    public VrrpInstanceOptions Normalize(out IReadOnlyList<string> adjustments)
    {
        var notes = new List<string>();
        VrrpInstanceOptions o = this;
        if (o.Family == AddressFamily.InterNetworkV6 && o.Version == VrrpVersion.V2)
        {
            notes.Add("IPv6 requires VRRP version 3; using version 3");
            o = o with { Version = VrrpVersion.V3 };
        }

        if (o.Priority is < 1 or > 255)
        {
            notes.Add($"priority {o.Priority} out of range 1-255; clamped");
            o = o with { Priority = Math.Clamp(o.Priority, 1, 255) };
        }

        if (o.Version == VrrpVersion.V3 && o.AuthType != VrrpAuthType.None)
        {
            notes.Add("authentication is not supported with VRRP version 3; ignored");
            o = o with { AuthType = VrrpAuthType.None, AuthPassword = null };
        }

        if (o.AuthType == VrrpAuthType.Ah && o.Family != AddressFamily.InterNetwork)
        {
            notes.Add("AH authentication is IPv4 only; ignored");
            o = o with { AuthType = VrrpAuthType.None, AuthPassword = null };
        }

        // keepalived compat: state MASTER clears nopreempt and preempt_delay; so does being the address owner.
        if ((o.InitialState == VrrpState.Master || o.Priority == 255) && (o.NoPreempt || o.PreemptDelay > TimeSpan.Zero))
        {
            notes.Add("nopreempt/preempt_delay need state BACKUP and priority below 255; cleared");
            o = o with { NoPreempt = false, PreemptDelay = TimeSpan.Zero };
        }

        if (o.NoPreempt && o.PreemptDelay > TimeSpan.Zero)
        {
            notes.Add("preempt_delay is incompatible with nopreempt; preempt_delay cleared");
            o = o with { PreemptDelay = TimeSpan.Zero };
        }

        TimeSpan interval = o.Version == VrrpVersion.V2
            ? TimeSpan.FromSeconds(VrrpCodec.ToV2Seconds(o.AdvertInterval))
            : TimeSpan.FromMilliseconds(VrrpCodec.ToV3Centiseconds(o.AdvertInterval) * 10);
        if (interval != o.AdvertInterval)
        {
            notes.Add($"advert_int {o.AdvertInterval.TotalSeconds} s not representable in version {(int)o.Version}; using {interval.TotalSeconds} s");
            o = o with { AdvertInterval = interval };
        }

        if (o.DownTimerAdverts is < 1 or > 100)
        {
            notes.Add("down_timer_adverts out of range 1-100; clamped");
            o = o with { DownTimerAdverts = Math.Clamp(o.DownTimerAdverts, 1, 100) };
        }

        if (o.VirtualAddresses.Count > 255)
        {
            notes.Add("more than 255 virtual addresses; the rest become excluded addresses");
            o = o with { VirtualAddresses = [.. o.VirtualAddresses.Take(255)], ExcludedAddresses = [.. o.ExcludedAddresses, .. o.VirtualAddresses.Skip(255)] };
        }

        IPAddress[] wrongFamily = [.. o.VirtualAddresses.Where(a => a.AddressFamily != o.Family)];
        if (wrongFamily.Length > 0)
        {
            notes.Add("virtual addresses of the other family cannot be advertised; moved to excluded addresses");
            o = o with { VirtualAddresses = [.. o.VirtualAddresses.Where(a => a.AddressFamily == o.Family)], ExcludedAddresses = [.. o.ExcludedAddresses, .. wrongFamily] };
        }

        adjustments = notes;
        return o;
    }

    /// <summary>The decoder's view of these options.</summary>
    public VrrpReceivePolicy ToReceivePolicy() => new()
    {
        Version = Version,
        VirtualRouterId = VirtualRouterId,
        Family = Family,
        AuthType = AuthType,
        AuthKey = AuthKey,
        AdvertInterval = AdvertInterval,
        V3ChecksumAsV2 = V3ChecksumAsV2,
        Unicast = UnicastPeers.Count > 0,
        UnicastPeers = UnicastPeers,
        CheckUnicastSource = CheckUnicastSource,
        UnicastMinTtl = UnicastMinTtl,
        UnicastMaxTtl = UnicastMaxTtl,
        OwnAddresses = [PrimaryAddress],
    };
}
