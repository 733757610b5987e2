using System.Net;
using System.Net.Sockets;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>Where and how a network probe connects.</summary>
/// <param name="Endpoint">The address and port probed (connect_ip/connect_port already applied).</param>
/// <param name="Connect">bindto, bind_port, bind_if, fwmark.</param>
/// <param name="ConnectTimeout">connect_timeout: bound on the whole probe.</param>
/// <param name="Configure">Socket callback for bind_if and fwmark (filled from Vigil.Linux).</param>
public sealed record ProbeTarget(
    IPEndPoint Endpoint,
    ConnectOptions Connect,
    TimeSpan ConnectTimeout,
    SocketConfigurator? Configure = null)
{
    /// <summary>Resolves the target of a checker on <paramref name="realServer"/>.</summary>
    public static ProbeTarget For(IPEndPoint realServer, ConnectOptions? connect, CheckTiming timing, int defaultPort, SocketConfigurator? configure = null)
    {
        ArgumentNullException.ThrowIfNull(realServer);
        ArgumentNullException.ThrowIfNull(timing);
        connect ??= ConnectOptions.Default;
        return new(connect.Resolve(realServer, defaultPort), connect, timing.ConnectTimeout, configure);
    }

    /// <summary>A token cancelled at connect_timeout or when <paramref name="outer"/> is.</summary>
    internal CancellationTokenSource StartTimeout(CancellationToken outer)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        cts.CancelAfter(ConnectTimeout);
        return cts;
    }

    /// <summary>A socket with the bind options and the configurator applied, not yet connected.</summary>
    internal Socket CreateSocket(SocketType type, ProtocolType protocol)
    {
        var socket = new Socket(Endpoint.AddressFamily, type, protocol);
        try
        {
            Configure?.Invoke(socket, Connect);
            if (Connect.BindTo is not null || Connect.BindPort is not null)
            {
                var local = Connect.BindTo ?? (Endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any);
                if (Connect.BindPort is not null) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(local, Connect.BindPort ?? 0));
            }
            if (type == SocketType.Stream) socket.NoDelay = true;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects a TCP socket within the token.</summary>
    internal async Task<Socket> ConnectTcpAsync(CancellationToken cancellationToken)
    {
        var socket = CreateSocket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(Endpoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Turns the exceptions a probe expects into failure reasons.</summary>
internal static class ProbeErrors
{
    public static CheckResult From(Exception e, string what, CancellationToken outer) => e switch
    {
        OperationCanceledException when outer.IsCancellationRequested => CheckResult.Fail($"{what}: cancelled"),
        OperationCanceledException => CheckResult.Fail($"{what}: timeout"),
        SocketException s => CheckResult.Fail($"{what}: {Describe(s.SocketErrorCode)}"),
        IOException { InnerException: SocketException s } => CheckResult.Fail($"{what}: {Describe(s.SocketErrorCode)}"),
        System.Security.Authentication.AuthenticationException a => CheckResult.Fail($"{what}: TLS handshake failed: {a.Message}"),
        IOException io => CheckResult.Fail($"{what}: {io.Message}"),
        _ => CheckResult.Fail($"{what}: {e.GetType().Name}: {e.Message}"),
    };

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.TimedOut => "timeout",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        _ => error.ToString(),
    };
}
