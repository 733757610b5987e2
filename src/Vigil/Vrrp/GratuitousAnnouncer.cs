using System.Net;
using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Neighbours;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Vrrp;

/// <summary>
/// Gratuitous ARP / unsolicited NA for VIPs: paced per interface by <see cref="GarpPacer"/>, sent through one
/// packet socket per interface opened on first use. Runs on the VRRP loop; a send failure (link down) is
/// logged and counted, never thrown.
/// </summary>
internal sealed partial class GratuitousAnnouncer : IGratuitousAnnouncer, IDisposable
{
    private readonly RouteNetlink _rtnl;
    private readonly NetworkNamespace? _ns;
    private readonly ILogger _log;
    private readonly Dictionary<int, NeighbourAnnouncer> _byInterface = [];

    public GratuitousAnnouncer(RouteNetlink rtnl, NetworkNamespace? ns, ILogger log, Func<TimeSpan> clock)
    {
        _rtnl = rtnl;
        _ns = ns;
        _log = log;
        Pacer = new GarpPacer(SendOne, clock);
    }

    /// <summary>The pacer, a timed participant of the VRRP loop.</summary>
    public GarpPacer Pacer { get; }

    public long Sent { get; private set; }
    public long Failures { get; private set; }

    /// <summary>Takes vrrp_garp_interval / vrrp_gna_interval and the garp_group intervals of a configuration.</summary>
    public void Configure(KeepalivedConfig config)
    {
        var global = (config.GlobalDefs.VrrpGarpInterval, config.GlobalDefs.VrrpGnaInterval);
        var byName = new Dictionary<string, (TimeSpan, TimeSpan)>(StringComparer.Ordinal);
        foreach (var group in config.GarpGroups)
        {
            foreach (var name in group.Interfaces)
            {
                byName[name] = (group.GarpInterval, group.GnaInterval);
            }
        }
        Pacer.Intervals = index =>
            byName.Count > 0 && _rtnl.GetLink(index) is { } link && byName.TryGetValue(link.Name, out var own) ? own : global;
    }

    public void Announce(int interfaceIndex, IPAddress address, int repeat) => Pacer.Enqueue(interfaceIndex, address, repeat);

    public void Cancel(IPAddress address) => Pacer.Cancel(address);

    private void SendOne(int interfaceIndex, IPAddress address)
    {
        try
        {
            if (!_byInterface.TryGetValue(interfaceIndex, out var announcer))
            {
                var link = _rtnl.GetLink(interfaceIndex) ?? throw new KernelException(Errno.ENODEV, "gratuitous ARP", $"no interface {interfaceIndex}");
                announcer = NeighbourAnnouncer.Open(link.Name, _ns);
                _byInterface[interfaceIndex] = announcer;
            }
            announcer.Announce(address);
            Sent++;
        }
        catch (KernelException e)
        {
            Failures++;
            LogFailed(_log, address, e.Message);
        }
    }

    public void Dispose()
    {
        foreach (var announcer in _byInterface.Values)
        {
            announcer.Dispose();
        }
        _byInterface.Clear();
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "gratuitous ARP/NA for {Address} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, IPAddress address, string error);
}
