using System.Net.Sockets;
using System.Text;

namespace Vigil.Hosting;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram per state to $NOTIFY_SOCKET (a path, or "@name" for the
/// abstract namespace). Outside systemd the variable is unset and every call does nothing.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;

    public SystemdNotifier(string? notifySocket = null)
    {
        notifySocket ??= Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }
        // An abstract socket is written with a leading '@'; on the wire the name starts with a NUL byte.
        _target = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public bool Enabled => _socket is not null;

    public void Ready(string status) => Send($"READY=1\nSTATUS={status}\nMAINPID={Environment.ProcessId}\n");

    /// <summary>RELOADING=1 with the monotonic time systemd 253+ wants for Type=notify-reload.</summary>
    public void Reloading() => Send($"RELOADING=1\nMONOTONIC_USEC={System.Diagnostics.Stopwatch.GetTimestamp() * 1_000_000 / System.Diagnostics.Stopwatch.Frequency}\n");

    public void Stopping() => Send("STOPPING=1\n");

    private void Send(string message)
    {
        if (_socket is null || _target is null)
        {
            return;
        }
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), _target);
        }
        catch (SocketException)
        {
            // systemd gone or socket unreachable: readiness is advisory, the daemon runs on.
        }
    }

    public void Dispose() => _socket?.Dispose();
}
