using System.Net;
using Microsoft.Extensions.Logging;
using Vigil.Linux;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Neighbours;
using Vigil.Linux.Netlink.Route;

namespace Vigil.Vrrp;

/// <summary>
/// Gratuitous ARP / unsolicited NA for VIPs, one packet socket per interface opened on first use.
/// Runs on the VRRP loop; a send failure (link down) is logged and counted, never thrown.
/// </summary>
internal sealed partial class GratuitousAnnouncer(RouteNetlink rtnl, NetworkNamespace? ns, ILogger log) : IGratuitousAnnouncer, IDisposable
{
    private readonly Dictionary<int, NeighbourAnnouncer> _byInterface = [];

    public long Sent { get; private set; }
    public long Failures { get; private set; }

    public void Announce(int interfaceIndex, IPAddress address, int repeat)
    {
        try
        {
            if (!_byInterface.TryGetValue(interfaceIndex, out var announcer))
            {
                var link = rtnl.GetLink(interfaceIndex) ?? throw new KernelException(Errno.ENODEV, "gratuitous ARP", $"no interface {interfaceIndex}");
                announcer = NeighbourAnnouncer.Open(link.Name, ns);
                _byInterface[interfaceIndex] = announcer;
            }
            // keepalived compat: a burst of `repeat` packets back to back when no vrrp_garp_interval paces them.
            for (var i = 0; i < repeat; i++)
            {
                announcer.Announce(address);
                Sent++;
            }
        }
        catch (KernelException e)
        {
            Failures++;
            LogFailed(log, address, e.Message);
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
