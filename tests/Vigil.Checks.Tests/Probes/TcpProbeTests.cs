using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;
using Vigil.Checks.Tests.Fakes;

namespace Vigil.Checks.Tests.Probes;

public class TcpProbeTests : ProbeTestBase
{
    [Fact]
    public async Task RunAsync_Listening_Passes()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        var result = await new TcpProbe(Target(server.Endpoint)).RunAsync(TestContext.Current.CancellationToken);
        Assert.True(result.Success, result.Reason);
    }

    [Fact]
    public async Task RunAsync_Refused_FailsWithReason()
    {
        var result = await new TcpProbe(Target(ClosedTcpPort())).RunAsync(TestContext.Current.CancellationToken);
        Assert.False(result.Success);
        Assert.Contains("connection refused", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AcceptQueueFull_TimesOutWithinConnectTimeout()
    {
        await using var server = await FakeTcpServer.NotAcceptingAsync();
        var sw = Stopwatch.StartNew();
        var result = await new TcpProbe(Target(server.Endpoint, TimeSpan.FromMilliseconds(300))).RunAsync(TestContext.Current.CancellationToken);
        Assert.False(result.Success);
        Assert.Contains("timeout", result.Reason, StringComparison.Ordinal);
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RunAsync_BindToAndConfigurator_AreApplied()
    {
        var seen = new List<EndPoint?>();
        await using var server = new FakeTcpServer(async (stream, ct) =>
        {
            lock (seen) seen.Add(((NetworkStream)stream).Socket.RemoteEndPoint);
            await Task.CompletedTask;
        });
        var configured = 0;
        var connect = new ConnectOptions(BindTo: IPAddress.Parse("127.0.0.2"), Fwmark: 7);
        var probe = new TcpProbe(Target(server.Endpoint, connect: connect, configure: (s, o) =>
        {
            Assert.Equal((uint)7, o.Fwmark);
            Interlocked.Increment(ref configured);
        }));
        var result = await probe.RunAsync(TestContext.Current.CancellationToken);
        Assert.True(result.Success, result.Reason);
        Assert.Equal(1, configured);
        await PollAsync(() => seen.Count == 1);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), ((IPEndPoint)seen[0]!).Address);
    }

    [Fact]
    public void ConnectOptions_Resolve_PrefersConnectIpAndPort()
    {
        var rs = new IPEndPoint(IPAddress.Parse("10.0.0.1"), 80);
        Assert.Equal(rs, ConnectOptions.Default.Resolve(rs, 443));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.9"), 8080), new ConnectOptions(IPAddress.Parse("10.0.0.9"), 8080).Resolve(rs, 443));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 443), ConnectOptions.Default.Resolve(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 0), 443));
    }

    [Fact]
    public async Task RunAsync_Ipv6Loopback_Passes()
    {
        await using var server = new FakeTcpServer((_, _) => Task.CompletedTask, bind: IPAddress.IPv6Loopback);
        Assert.True((await new TcpProbe(Target(server.Endpoint)).RunAsync(TestContext.Current.CancellationToken)).Success);
    }

    internal static async Task PollAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(10);
        Assert.True(condition());
    }
}
