using System.Net.Sockets;
using System.Text;
using Vigil.Hosting;

namespace Vigil.Tests.Hosting;

public sealed class SystemdNotifierTests
{
    [Fact]
    public void WithoutNotifySocket_DoesNothing()
    {
        using var notifier = new SystemdNotifier("");
        Assert.False(notifier.Enabled);
        notifier.Ready("x"); // must not throw
    }

    [Fact]
    public void Ready_Reloading_Stopping_ReachTheNotifySocket()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-notify-").FullName;
        try
        {
            var path = Path.Combine(dir, "notify");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.ReceiveTimeout = 5000;
            using var notifier = new SystemdNotifier(path);

            notifier.Ready("2 VRRP instances");
            notifier.Reloading();
            notifier.Stopping();

            var buffer = new byte[512];
            var ready = Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer));
            var reloading = Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer));
            var stopping = Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer));
            Assert.StartsWith("READY=1\nSTATUS=2 VRRP instances\nMAINPID=", ready);
            Assert.StartsWith("RELOADING=1\nMONOTONIC_USEC=", reloading);
            Assert.Equal("STOPPING=1\n", stopping);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
