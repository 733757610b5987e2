using System.Net;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;

namespace Vigil.Checks.Tests.Probes;

public abstract class ProbeTestBase
{
    internal static readonly TimeSpan Short = TimeSpan.FromMilliseconds(700);

    internal static ProbeTarget Target(IPEndPoint endpoint, TimeSpan? timeout = null, ConnectOptions? connect = null, SocketConfigurator? configure = null) =>
        new(endpoint, connect ?? ConnectOptions.Default, timeout ?? Short, configure);

    internal static IPEndPoint ClosedTcpPort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var ep = (IPEndPoint)l.LocalEndpoint;
        l.Stop();
        return ep;
    }
}
