using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux;
using Vigil.Linux.Netlink.Route;
using Vigil.Linux.Vrrp;
using Vigil.Vrrp.Fsm;

namespace Vigil.Vrrp;

/// <summary>
/// The kernel side of one router's effects: adverts on its raw socket, VIPs through rtnetlink, gratuitous
/// ARP / NA through the announcer. Runs on the VRRP loop; every kernel error is logged and counted, never
/// thrown into the state machine.
/// </summary>
internal sealed partial class LinuxVrrpEffects : IVrrpEffects
{
    private readonly VrrpInstanceConfig _instance;
    private readonly VrrpSocket _socket;
    private readonly RouteNetlink _rtnl;
    private readonly IGratuitousAnnouncer _announcer;
    private readonly Action<VrrpStateChange> _onStateChange;
    private readonly ILogger _log;
    private readonly int _defaultInterfaceIndex;
    private readonly Dictionary<IPAddress, InterfaceAddress> _kernelAddresses = [];
    private readonly VirtualRoutes _routes;
    private readonly LinkInfo? _vmac;
    private readonly VmacLinks? _vmacs;
    private readonly string _baseInterface;
    private readonly StrictModeFirewall? _firewall;

    private readonly int _baseInterfaceIndex;
    private readonly bool _instanceIsV6;

    public long SendErrors { get; private set; }

    /// <summary>use_vmac: the instance's macvlan, or null.</summary>
    internal LinkInfo? Vmac => _vmac;

    /// <summary>Set on a -V stop: the addresses stay in the kernel when the router stops.</summary>
    public bool KeepAddresses { get; set; }
    public long AddressErrors { get; private set; }

    /// <summary>virtual_routes / virtual_rules: installed while MASTER.</summary>
    internal VirtualRoutes Routes => _routes;

    /// <param name="vmac">use_vmac: the macvlan the VIPs of the instance's family go on (null without use_vmac).</param>
    /// <param name="vmacs">Where <paramref name="vmac"/> is released when the router stops.</param>
    /// <param name="baseInterface">The instance's interface (the socket's, unless the socket is on the VMAC).</param>
    public LinuxVrrpEffects(VrrpInstanceConfig instance, VrrpSocket socket, RouteNetlink rtnl, IGratuitousAnnouncer announcer,
        Action<VrrpStateChange> onStateChange, ILogger log, LinkInfo? vmac = null, VmacLinks? vmacs = null, string? baseInterface = null,
        StrictModeFirewall? firewall = null)
    {
        _firewall = firewall;
        _vmac = vmac;
        _vmacs = vmacs;
        _baseInterface = baseInterface ?? socket.InterfaceName;
        _instance = instance;
        _socket = socket;
        _rtnl = rtnl;
        _announcer = announcer;
        _onStateChange = onStateChange;
        _log = log;
        _defaultInterfaceIndex = vmac?.Index ?? socket.InterfaceIndex;
        _baseInterfaceIndex = _baseInterface == socket.InterfaceName ? socket.InterfaceIndex : rtnl.GetLinkIndex(_baseInterface) ?? socket.InterfaceIndex;
        _instanceIsV6 = VrrpOptionsMapper.FamilyOf(instance) == AddressFamily.InterNetworkV6;
        _routes = new VirtualRoutes(instance.Name, "Virtual", instance.VirtualRoutes, instance.VirtualRules, new RtnlNetworkKernel(rtnl), IpNames.System, log);
        foreach (var vip in instance.VirtualIpAddresses.Concat(instance.VirtualIpAddressesExcluded))
        {
            _kernelAddresses[vip.Address] = ToKernel(vip);
        }
    }

    /// <summary>The kernel form of a virtual_ipaddress line: dev, brd, scope, label and flags as `ip addr add` would set them.</summary>
    internal InterfaceAddress ToKernel(VirtualAddressConfig vip)
    {
        // use_vmac: VIPs of the instance's family that name no other device go on the VMAC; the other family's stay on
        // the interface, whose MAC is right for them (keepalived.conf(5), use_vmac_addr).
        var home = _vmac is not null && vip.IsIPv6 != _instanceIsV6 ? _baseInterfaceIndex : _defaultInterfaceIndex;
        var index = vip.Device is { } dev && dev != _socket.InterfaceName && dev != _baseInterface && dev != _vmac?.Name
            ? _rtnl.GetLinkIndex(dev) ?? home
            : home;
        return ToKernel(vip, index);
    }

    /// <summary>The kernel form of an address line on the device <paramref name="index"/>.</summary>
    internal static InterfaceAddress ToKernel(VirtualAddressConfig vip, int index)
    {
        var prefix = vip.PrefixLength > 0 ? vip.PrefixLength : vip.IsIPv6 ? 128 : 32;
        var flags = AddressFlags.None;
        // keepalived compat: every IPv6 VIP goes in with nodad (2.2.7 shows "nodad" without -nodad in the config).
        if (vip.NoDad || vip.IsIPv6) { flags |= AddressFlags.NoDad; }
        if (vip.Home) { flags |= AddressFlags.HomeAddress; }
        if (vip.NoPrefixRoute) { flags |= AddressFlags.NoPrefixRoute; }
        if (vip.ManageTempAddress) { flags |= AddressFlags.ManageTemporaryAddress; }
        if (vip.AutoJoin) { flags |= AddressFlags.MulticastAutoJoin; }
        return new InterfaceAddress(index, vip.Address, prefix)
        {
            Broadcast = vip.Broadcast,
            Peer = vip.Peer?.BaseAddress,
            Scope = ParseScope(vip.Scope),
            // keepalived compat: the label must start with the interface name, as ip(8) requires.
            Label = vip.Label,
            Flags = flags,
            PreferredLifetime = PreferredLifetime(vip, prefix),
        };
    }

    // keepalived compat: an IPv6 /128 is deprecated (preferred_lft 0) unless a lifetime is given, so the kernel
    // does not pick it as a source address. (The config model cannot yet tell "preferred_lft forever" from none.)
    private static TimeSpan? PreferredLifetime(VirtualAddressConfig vip, int prefix) =>
        vip.PreferredLifetime is { } seconds ? TimeSpan.FromSeconds(seconds)
        : vip.IsIPv6 && prefix == 128 ? TimeSpan.Zero
        : null;

    internal static AddressScope ParseScope(string? scope) => scope switch
    {
        null or "global" or "universe" => AddressScope.Global,
        "site" => AddressScope.Site,
        "link" => AddressScope.Link,
        "host" => AddressScope.Host,
        "nowhere" => AddressScope.Nowhere,
        var n when byte.TryParse(n, out var value) => (AddressScope)value,
        _ => AddressScope.Global,
    };

    public void SendAdvert(in VrrpTransmission transmission)
    {
        try
        {
            if (transmission.Advert.AuthType == Packets.VrrpAuthType.Ah && !transmission.IPv4Datagram.IsEmpty)
            {
                _socket.SendIPv4Datagram(transmission.IPv4Datagram);
            }
            else
            {
                _socket.Send(transmission.Payload, transmission.Destination);
            }
        }
        catch (KernelException e)
        {
            SendErrors++;
            LogSendFailed(_log, _instance.Name, transmission.Destination, e.Message);
        }
    }

    public void AddAddresses(IReadOnlyList<IPAddress> addresses)
    {
        // keepalived compat: without Accept_Mode the drop rule is in before the VIPs are [RFC 5798 §6.4.3].
        if (!_instance.Accept)
        {
            _firewall?.Block(_instance.Name, addresses);
        }
        foreach (var address in addresses)
        {
            if (!_kernelAddresses.TryGetValue(address, out var kernel))
            {
                continue;
            }
            try
            {
                _rtnl.AddAddressIfAbsent(kernel);
            }
            catch (KernelException e)
            {
                AddressErrors++;
                LogAddressFailed(_log, _instance.Name, "add", address, e.Message);
            }
        }
    }

    public void RemoveAddresses(IReadOnlyList<IPAddress> addresses)
    {
        // keepalived compat: leaving MASTER, rules and routes go before the VIPs they may use as source.
        if (!KeepAddresses)
        {
            _routes.Remove();
        }
        // A paced burst must not go on announcing a VIP that has left this host (even under -V).
        foreach (var address in addresses)
        {
            _announcer.Cancel(address);
        }
        if (KeepAddresses)
        {
            UnblockAfterRemoval();
            return;
        }
        foreach (var address in addresses)
        {
            if (!_kernelAddresses.TryGetValue(address, out var kernel))
            {
                continue;
            }
            try
            {
                _rtnl.DeleteAddressIfPresent(kernel);
            }
            catch (KernelException e)
            {
                AddressErrors++;
                LogAddressFailed(_log, _instance.Name, "remove", address, e.Message);
            }
        }
        UnblockAfterRemoval();
    }

    /// <summary>After the VIPs are gone: their drop rule goes too.</summary>
    private void UnblockAfterRemoval()
    {
        if (!_instance.Accept)
        {
            _firewall?.Unblock(_instance.Name);
        }
    }

    public void SendGratuitous(IReadOnlyList<IPAddress> addresses, int repeat)
    {
        foreach (var address in addresses)
        {
            if (_kernelAddresses.TryGetValue(address, out var kernel))
            {
                _announcer.Announce(kernel.InterfaceIndex, address, repeat);
            }
        }
    }

    public void StateChanged(VrrpStateChange change)
    {
        // After the VIPs are in (a route may name one as src) and before notify scripts run.
        if (change.NewState == Fsm.VrrpState.Master)
        {
            _routes.Install();
        }
        else if (change.OldState == Fsm.VrrpState.Master && !KeepAddresses)
        {
            _routes.Remove();
        }
        else if (change.OldState == Fsm.VrrpState.Init)
        {
            _routes.RemoveLeftovers();
        }
        if (change.NewState == Fsm.VrrpState.Stop)
        {
            _firewall?.Unregister(_instance.Name);
        }
        if (change.NewState == Fsm.VrrpState.Stop && _vmac is not null)
        {
            // The VIPs are off it by now; -V keeps them, and so the link.
            _vmacs?.Release(_vmac.Name, keep: KeepAddresses);
        }
        _onStateChange(change);
    }

    public void MasterReceivedLowerPriority(IPAddress source, int priority)
    {
        LogMasterRxLowerPri(_log, _instance.Name, source, priority);
        // notify_master_rx_lower_pri script and FIFO line (the dispatcher queues them; this returns at once).
        OnMasterReceivedLowerPriority?.Invoke(_instance);
    }

    /// <summary>Set by the host: the notifications of the running configuration's dispatcher.</summary>
    public Action<VrrpInstanceConfig>? OnMasterReceivedLowerPriority { get; set; }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "({Name}) cannot send advert to {Destination}: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string name, IPAddress destination, string error);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "({Name}) cannot {Action} address {Address}: {Error}")]
    private static partial void LogAddressFailed(ILogger logger, string name, string action, IPAddress address, string error);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "({Name}) master received lower priority {Priority} from {Source}")]
    private static partial void LogMasterRxLowerPri(ILogger logger, string name, IPAddress source, int priority);
}

/// <summary>Sends gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) for an address.</summary>
internal interface IGratuitousAnnouncer
{
    void Announce(int interfaceIndex, IPAddress address, int repeat);

    /// <summary>Drops announcements still queued for an address we no longer hold.</summary>
    void Cancel(IPAddress address);
}

/// <summary>Family helpers.</summary>
internal static class Families
{
    public static bool IsV6(this IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6;
}
