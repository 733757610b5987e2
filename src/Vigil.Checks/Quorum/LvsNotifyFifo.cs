using System.Globalization;
using System.Net;

namespace Vigil.Checks.Quorum;

/// <summary>Transport protocol of a virtual service, as lvs_notify_fifo lines spell it.</summary>
public enum ServiceProtocol
{
    Tcp,
    Udp,
    Sctp,
}

/// <summary>
/// The lines keepalived writes to lvs_notify_fifo (keepalived.md §2):
/// <c>RS [rs]:tcp:80 [vs]:tcp:80 UP|DOWN</c> and <c>VS [vs]:tcp:80 UP|DOWN</c>, each ending in a newline.
/// </summary>
public static class LvsNotifyFifo
{
    /// <summary>A service endpoint as keepalived formats it: <c>[address]:proto:port</c>.</summary>
    public static string Service(IPAddress address, ServiceProtocol protocol, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        return string.Create(CultureInfo.InvariantCulture, $"[{address}]:{Proto(protocol)}:{port}");
    }

    /// <summary>A fwmark service; keepalived's spelling for these could not be observed here (no IPVS).</summary>
    public static string FwmarkService(uint fwmark) => string.Create(CultureInfo.InvariantCulture, $"FWM {fwmark}");

    public static string RealServerLine(string realServer, string virtualServer, bool up) =>
        $"RS {realServer} {virtualServer} {(up ? "UP" : "DOWN")}\n";

    public static string VirtualServerLine(string virtualServer, bool up) =>
        $"VS {virtualServer} {(up ? "UP" : "DOWN")}\n";

    private static string Proto(ServiceProtocol p) => p switch
    {
        ServiceProtocol.Udp => "udp",
        ServiceProtocol.Sctp => "sctp",
        _ => "tcp",
    };
}
