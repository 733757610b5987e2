using System.Net;
using System.Net.Sockets;

namespace Vigil.Checks.Options;

/// <summary>
/// The connection keywords shared by the network checkers. Null fields fall back to the real server's
/// address and port, as keepalived does.
/// </summary>
/// <param name="ConnectIp">connect_ip.</param>
/// <param name="ConnectPort">connect_port.</param>
/// <param name="BindTo">bindto: source address.</param>
/// <param name="BindPort">bind_port: source port.</param>
/// <param name="BindInterface">bind_if: applied by <see cref="SocketConfigurator"/> (SO_BINDTODEVICE lives in Vigil.Linux).</param>
/// <param name="Fwmark">fwmark: applied by <see cref="SocketConfigurator"/> (SO_MARK lives in Vigil.Linux).</param>
public sealed record ConnectOptions(
    IPAddress? ConnectIp = null,
    int? ConnectPort = null,
    IPAddress? BindTo = null,
    int? BindPort = null,
    string? BindInterface = null,
    uint? Fwmark = null)
{
    /// <summary>No overrides: connect to the real server itself.</summary>
    public static ConnectOptions Default { get; } = new();

    /// <summary>The endpoint to probe, given the real server's own.</summary>
    public IPEndPoint Resolve(IPEndPoint realServer, int defaultPort) =>
        new(ConnectIp ?? realServer.Address, ConnectPort ?? (realServer.Port != 0 ? realServer.Port : defaultPort));
}

/// <summary>
/// Called on every checker socket before bind and connect, so the executable can apply
/// bind_if (SO_BINDTODEVICE) and fwmark (SO_MARK) through Vigil.Linux. Null means "nothing to apply".
/// </summary>
public delegate void SocketConfigurator(Socket socket, ConnectOptions options);
