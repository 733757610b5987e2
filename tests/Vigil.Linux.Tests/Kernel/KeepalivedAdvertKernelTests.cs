using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Vrrp;

namespace Vigil.Linux.Tests.Kernel;

/// <summary>
/// The reference on the wire: real keepalived 2.2.7 runs in namespace a and its adverts must reach a
/// <see cref="VrrpSocket"/> in b with the metadata the VRRP decoder checks (root and keepalived only).
/// </summary>
public sealed class KeepalivedAdvertKernelTests : IDisposable
{
    // keepalived sends its first advert a few seconds after start (~3.6 s observed); adverts are 1 s apart.
    private static readonly TimeSpan AdvertTimeout = TimeSpan.FromSeconds(15);

    private readonly LabPair _lab;
    private readonly NetworkNamespace _b;
    private readonly string _directory;
    private Process? _keepalived;

    public KeepalivedAdvertKernelTests()
    {
        Assert.SkipUnless(File.Exists("/usr/sbin/keepalived"), "keepalived is not installed");
        _lab = LabPair.Create();
        _b = NetworkNamespace.Open(_lab.B);
        _directory = Directory.CreateTempSubdirectory("vl-keepalived-").FullName;
    }

    [Fact]
    public async Task ReceiveAsync_KeepalivedV2AndV3Adverts_ArriveWithMetadata()
    {
        using var v4 = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetwork), _b);
        using var v6 = VrrpSocket.Open(new VrrpSocketOptions("vb", AddressFamily.InterNetworkV6), _b);
        StartKeepalived();

        var advert4 = await FirstAdvertAsync(v4, virtualRouterId: 51);
        var advert6 = await FirstAdvertAsync(v6, virtualRouterId: 52);

        Assert.Equal(IPAddress.Parse("10.77.0.1"), advert4.Source);
        Assert.Equal(IPAddress.Parse("224.0.0.18"), advert4.Destination);
        Assert.Equal(255, advert4.HopLimit);
        Assert.Equal(112, advert4.Protocol);
        Assert.Equal(0x21, advert4.Payload.Span[0]); // version 2, type advertisement
        Assert.Equal(v4.InterfaceIndex, advert4.InterfaceIndex);

        Assert.True(advert6.Source.IsIPv6LinkLocal);
        Assert.Equal(IPAddress.Parse("ff02::12"), advert6.Destination);
        Assert.Equal(255, advert6.HopLimit);
        Assert.Equal(0x31, advert6.Payload.Span[0]); // version 3
        Assert.Equal(v6.InterfaceIndex, advert6.InterfaceIndex);
    }

    public void Dispose()
    {
        StopKeepalived();
        _b?.Dispose();
        _lab?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<VrrpDatagram> FirstAdvertAsync(VrrpSocket socket, byte virtualRouterId)
    {
        using var timeout = new CancellationTokenSource(AdvertTimeout);
        var buffer = new byte[2048];
        for (var i = 0; i < 100; i++)
        {
            var datagram = await socket.ReceiveAsync(buffer, timeout.Token);
            if (datagram.Payload.Length > 1 && datagram.Payload.Span[1] == virtualRouterId)
            {
                return datagram with { Payload = datagram.Payload.ToArray(), Datagram = datagram.Datagram.ToArray() };
            }
        }
        throw new InvalidOperationException($"no advert for VRID {virtualRouterId}");
    }

    private void StartKeepalived()
    {
        var config = Path.Combine(_directory, "keepalived.conf");
        File.WriteAllText(config, """
            global_defs {
              router_id vl
            }
            vrrp_instance V4 {
              state MASTER
              interface va
              virtual_router_id 51
              priority 100
              advert_int 1
              virtual_ipaddress {
                10.77.0.100/24
              }
            }
            vrrp_instance V6 {
              state MASTER
              interface va
              version 3
              virtual_router_id 52
              priority 100
              advert_int 1
              virtual_ipaddress {
                fd77::100/64
              }
            }
            """);
        var info = new ProcessStartInfo("ip")
        {
            ArgumentList =
            {
                "netns", "exec", _lab.A, "/usr/sbin/keepalived", "--dont-fork", "--log-console", "--use-file", config,
                "--pid", Path.Combine(_directory, "k.pid"), "--vrrp_pid", Path.Combine(_directory, "v.pid"),
                "--checkers_pid", Path.Combine(_directory, "c.pid"), "--vrrp",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _keepalived = Process.Start(info) ?? throw new InvalidOperationException("keepalived did not start");
        _keepalived.OutputDataReceived += (_, _) => { };
        _keepalived.ErrorDataReceived += (_, _) => { };
        _keepalived.BeginOutputReadLine();
        _keepalived.BeginErrorReadLine();
    }

    private void StopKeepalived()
    {
        if (_keepalived is null)
        {
            return;
        }
        using (_keepalived)
        {
            if (!_keepalived.HasExited)
            {
                // SIGTERM by PID lets keepalived stop its VRRP child; the tree kill is the fallback.
                using (var kill = Process.Start("kill", $"-TERM {_keepalived.Id}"))
                {
                    kill.WaitForExit(TimeSpan.FromSeconds(5));
                }
                if (!_keepalived.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    _keepalived.Kill(entireProcessTree: true);
                    _keepalived.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
        }
    }
}
