using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Vrrp;

/// <summary>
/// static_ipaddress, static_routes and static_rules: set at daemon start whatever the VRRP states are, brought to
/// the new file's lines on reload, and removed on stop. keepalived compat: 2.2.7 removes all three on a normal
/// stop (observed in the lab: addresses, routes and rules gone after SIGTERM).
/// </summary>
internal sealed partial class StaticNetwork
{
    private readonly INetworkKernel _kernel;
    private readonly IpNames _names;
    private readonly ILogger _log;
    private readonly List<InterfaceAddress> _addresses = [];
    private VirtualRoutes? _routes;
    private KeepalivedConfig? _applied;

    public StaticNetwork(RouteNetlink rtnl, ILogger log)
        : this(new RtnlNetworkKernel(rtnl), IpNames.System, log)
    {
    }

    internal StaticNetwork(INetworkKernel kernel, IpNames names, ILogger log)
    {
        _kernel = kernel;
        _names = names;
        _log = log;
    }

    /// <summary>Addresses, routes or rules that could not be set or removed.</summary>
    public long Errors { get; private set; }

    /// <summary>The addresses in the kernel's form, as last applied.</summary>
    public IReadOnlyList<InterfaceAddress> Addresses => _addresses;

    /// <summary>
    /// Sets the static addresses, then routes, then rules of <paramref name="config"/>. Called again (reload), it
    /// first removes what the previous file had and the new one does not, then adds what is missing.
    /// </summary>
    public void Apply(KeepalivedConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (_applied is { } previous
            && previous.StaticAddresses.Equals(config.StaticAddresses)
            && previous.StaticRoutes.Equals(config.StaticRoutes)
            && previous.StaticRules.Equals(config.StaticRules)
            && previous.GlobalDefs.DefaultInterface == config.GlobalDefs.DefaultInterface)
        {
            return;
        }
        var wanted = MapAddresses(config);
        foreach (var stale in _addresses.Where(a => !wanted.Any(w => w.SameKernelAddress(a))).ToList())
        {
            Change("remove", stale, () => _kernel.DeleteAddressIfPresent(stale));
        }
        _addresses.Clear();
        foreach (var address in wanted)
        {
            if (Change("add", address, () => _kernel.AddAddressIfAbsent(address)))
            {
                _addresses.Add(address);
            }
        }
        // New routes and rules go in before the old ones that are no longer wanted come out: no gap for the kept ones.
        var routes = new VirtualRoutes("static", "Static", config.StaticRoutes, config.StaticRules, _kernel, _names, _log);
        routes.Install();
        if (_routes is not null)
        {
            var before = _routes.Errors;
            _routes.RemoveExcept(routes);
            Errors += _routes.Errors - before;
        }
        Errors += routes.Errors;
        _routes = routes;
        _applied = config;
    }

    /// <summary>Removes rules, routes, then addresses (daemon stop). Safe to call twice.</summary>
    public void Remove()
    {
        if (_routes is not null)
        {
            var before = _routes.Errors;
            _routes.Remove();
            Errors += _routes.Errors - before;
            _routes = null;
        }
        foreach (var address in _addresses)
        {
            Change("remove", address, () => _kernel.DeleteAddressIfPresent(address));
        }
        _addresses.Clear();
        _applied = null;
    }

    private List<InterfaceAddress> MapAddresses(KeepalivedConfig config)
    {
        var list = new List<InterfaceAddress>();
        foreach (var line in config.StaticAddresses)
        {
            // keepalived compat: a line without dev goes on the default interface (default_interface, else eth0).
            var device = line.Device ?? config.GlobalDefs.DefaultInterface;
            if (_kernel.GetLinkIndex(device) is not { } index)
            {
                Errors++;
                LogNoDevice(_log, line.Address.ToString(), device);
                continue;
            }
            list.Add(LinuxVrrpEffects.ToKernel(line, index));
        }
        return list;
    }

    private bool Change(string action, InterfaceAddress address, Func<bool> change)
    {
        try
        {
            change();
            return true;
        }
        catch (KernelException e)
        {
            Errors++;
            LogAddressFailed(_log, action, address.Address.ToString(), address.PrefixLength, e.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 4611, Level = LogLevel.Error, Message = "static_ipaddress {Address}: interface {Device} does not exist")]
    private static partial void LogNoDevice(ILogger logger, string address, string device);

    [LoggerMessage(EventId = 4612, Level = LogLevel.Error, Message = "cannot {Action} static address {Address}/{PrefixLength}: {Error}")]
    private static partial void LogAddressFailed(ILogger logger, string action, string address, int prefixLength, string error);
}
