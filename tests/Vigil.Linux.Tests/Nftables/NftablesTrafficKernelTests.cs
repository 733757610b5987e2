using System.Net;
using System.Net.Sockets;
using System.Text;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Nftables;
using Vigil.Linux.Tests.Kernel;

namespace Vigil.Linux.Tests.Nftables;

/// <summary>
/// Real traffic through vigil's nftables table: a client namespace connects to the VIP, the load
/// balancer namespace dnats to two real-server namespaces (10.77.0.0/26 client side, 10.77.0.128/26
/// server side behind a bridge, VIP 10.77.0.100). Servers answer each line with their name.
/// </summary>
public sealed class NftablesTrafficKernelTests : IDisposable
{
    private static int s_counter;
    private readonly string _prefix = $"vn-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}-";
    private readonly List<string> _namespaces = [];
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));

    private string Ns(string name) => _prefix + name;

    [Fact]
    public async Task Apply_Wrr3To1_TrafficSpreadsAndZeroWeightTakesNoNewConnectionsButKeepsEstablished()
    {
        LabPair.RequireRoot();
        Build();
        using var lbNs = NetworkNamespace.Open(Ns("lb"));
        using var clientNs = NetworkNamespace.Open(Ns("c"));
        using var r1 = NetworkNamespace.Open(Ns("r1"));
        using var r2 = NetworkNamespace.Open(Ns("r2"));
        var servers = new[] { Serve(r1, "r1"), Serve(r2, "r2") };
        using var plane = new NftablesDataPlane(lbNs);

        plane.Apply([Service(3, 1)]);
        var first = new Dictionary<string, int>();
        for (var i = 0; i < 40; i++)
        {
            var who = await AskOnceAsync(clientNs);
            first[who] = first.GetValueOrDefault(who) + 1;
        }
        Assert.InRange(first.GetValueOrDefault("r1"), 28, 32);
        Assert.InRange(first.GetValueOrDefault("r2"), 8, 12);

        // An established connection to r2, then r2's weight drops to 0 (as inhibit_on_failure does).
        using var held = await ConnectUntilAsync(clientNs, "r2");
        plane.Apply([Service(3, 0)]);
        for (var i = 0; i < 10; i++) Assert.Equal("r1", await AskOnceAsync(clientNs));
        Assert.Equal("r2", await AskAsync(held));

        // r2 leaves the map altogether (checker down, no inhibit): still all r1.
        plane.Apply([Service(3, null)]);
        for (var i = 0; i < 5; i++) Assert.Equal("r1", await AskOnceAsync(clientNs));
        await _stop.CancelAsync();
        foreach (var s in servers) s.Stop();
    }

    private static NftService Service(int w1, int? w2) =>
        new(AddressFamily.InterNetwork, NftProtocol.Tcp, IPAddress.Parse("10.77.0.100"), 80, 0, NftScheduler.WeightedRoundRobin,
            [new NftBackend(IPAddress.Parse("10.77.0.130"), 8080, w1), .. w2 is { } w ? new[] { new NftBackend(IPAddress.Parse("10.77.0.131"), 8080, w) } : []]);

    private void Build()
    {
        foreach (var n in new[] { "c", "lb", "r1", "r2" })
        {
            LabPair.Ip($"netns add {Ns(n)}");
            _namespaces.Add(Ns(n));
            LabPair.Ip($"-n {Ns(n)} link set lo up");
        }
        LabPair.Ip($"-n {Ns("c")} link add eth0 type veth peer name c0 netns {Ns("lb")}");
        LabPair.Ip($"-n {Ns("c")} addr add 10.77.0.1/26 dev eth0");
        LabPair.Ip($"-n {Ns("c")} link set eth0 up");
        LabPair.Ip($"-n {Ns("c")} route add default via 10.77.0.2");
        LabPair.Ip($"-n {Ns("lb")} addr add 10.77.0.2/26 dev c0");
        LabPair.Ip($"-n {Ns("lb")} link set c0 up");
        LabPair.Ip($"-n {Ns("lb")} link add br0 type bridge");
        LabPair.Ip($"-n {Ns("lb")} addr add 10.77.0.129/26 dev br0");
        LabPair.Ip($"-n {Ns("lb")} link set br0 up");
        LabPair.Ip($"netns exec {Ns("lb")} sysctl -qw net.ipv4.ip_forward=1");
        var last = 130;
        foreach (var r in new[] { "r1", "r2" })
        {
            LabPair.Ip($"-n {Ns(r)} link add eth0 type veth peer name {r} netns {Ns("lb")}");
            LabPair.Ip($"-n {Ns("lb")} link set {r} master br0 up");
            LabPair.Ip($"-n {Ns(r)} addr add 10.77.0.{last++}/26 dev eth0");
            LabPair.Ip($"-n {Ns(r)} link set eth0 up");
            LabPair.Ip($"-n {Ns(r)} route add default via 10.77.0.129");
        }
    }

    private sealed record Server(TcpListener Listener, Task Loop)
    {
        public void Stop() => Listener.Stop();
    }

    private Server Serve(NetworkNamespace ns, string name)
    {
        var listener = ns.Invoke(() =>
        {
            var l = new TcpListener(IPAddress.Any, 8080);
            l.Start();
            return l;
        });
        var loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (SocketException)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    using var c = client;
                    var stream = c.GetStream();
                    var buffer = new byte[64];
                    try
                    {
                        while (await stream.ReadAsync(buffer, _stop.Token) > 0) await stream.WriteAsync(Encoding.ASCII.GetBytes(name + "\n"), _stop.Token);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                    {
                    }
                });
            }
        });
        return new Server(listener, loop);
    }

    private async Task<Socket> ConnectAsync(NetworkNamespace clientNs)
    {
        var socket = clientNs.Invoke(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse("10.77.0.100"), 80), timeout.Token);
        return socket;
    }

    private async Task<string> AskAsync(Socket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await socket.SendAsync("?\n"u8.ToArray(), timeout.Token);
        var buffer = new byte[64];
        var n = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, n).Trim();
    }

    private async Task<string> AskOnceAsync(NetworkNamespace clientNs)
    {
        using var socket = await ConnectAsync(clientNs);
        return await AskAsync(socket);
    }

    /// <summary>Opens connections until one lands on <paramref name="backend"/> (bounded).</summary>
    private async Task<Socket> ConnectUntilAsync(NetworkNamespace clientNs, string backend)
    {
        for (var i = 0; i < 20; i++)
        {
            var socket = await ConnectAsync(clientNs);
            if (await AskAsync(socket) == backend) return socket;
            socket.Dispose();
        }
        throw new InvalidOperationException($"no connection reached {backend} in 20 tries");
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var ns in _namespaces)
        {
            try
            {
                LabPair.Ip($"netns del {ns}");
            }
            catch (InvalidOperationException)
            {
            }
        }
        _stop.Dispose();
    }
}
