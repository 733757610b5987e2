using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;
using Vigil.Checks.Runner;
using Vigil.Checks.Tests.Fakes;

namespace Vigil.Checks.Tests.Probes;

public class HttpRecoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (FakeTcpServer Server, HttpProbe Probe) ThreeUrls(bool fastRecovery)
    {
        var server = new FakeTcpServer((_, _) => Task.CompletedTask);
        server.Handler = server.Http(200, "ok");
        var options = new HttpCheckOptions([new HttpUrl("/a"), new HttpUrl("/b"), new HttpUrl("/c")], FastRecovery: fastRecovery);
        return (server, new HttpProbe(ProbeTestBase.Target(server.Endpoint), options));
    }

    [Fact]
    public async Task RunAsync_Recovering_ChecksOneUrlPerRunUntilAllPassed()
    {
        var (server, probe) = ThreeUrls(fastRecovery: false);
        await using (server)
        {
            Assert.Equal(CheckResult.InProgress, await probe.RunAsync(checkerIsUp: false, Ct));
            Assert.Equal(CheckResult.InProgress, await probe.RunAsync(checkerIsUp: false, Ct));
            Assert.Equal(CheckResult.Ok, await probe.RunAsync(checkerIsUp: false, Ct));
            Assert.Equal(["/a", "/b", "/c"], server.Requests.Select(r => r.Split(' ')[1]));

            server.Requests.Clear();
            Assert.Equal(CheckResult.Ok, await probe.RunAsync(checkerIsUp: true, Ct));
            Assert.Equal(3, server.Requests.Count);
        }
    }

    [Fact]
    public async Task RunAsync_RecoveringFailure_RestartsFromTheFirstUrl()
    {
        var (server, probe) = ThreeUrls(fastRecovery: false);
        await using (server)
        {
            await probe.RunAsync(false, Ct);
            var good = server.Handler;
            server.Handler = server.Http(500, "no");
            Assert.False((await probe.RunAsync(false, Ct)).Success);
            server.Handler = good;
            server.Requests.Clear();
            await probe.RunAsync(false, Ct);
            Assert.Equal("/a", server.Requests.Single().Split(' ')[1]);
        }
    }

    [Fact]
    public async Task RunAsync_FastRecovery_ChecksAllUrlsAtOnce()
    {
        var (server, probe) = ThreeUrls(fastRecovery: true);
        await using (server)
        {
            Assert.Equal(CheckResult.Ok, await probe.RunAsync(checkerIsUp: false, Ct));
            Assert.Equal(3, server.Requests.Count);
        }
    }

    [Fact]
    public async Task Runner_AlphaWithThreeUrls_UpAfterThreeRunsDelayLoopApart()
    {
        var (server, probe) = ThreeUrls(fastRecovery: false);
        await using (server)
        {
            var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
            var events = new ConcurrentQueue<(DateTimeOffset At, HealthEvent E)>();
            var timing = new CheckTiming(TimeSpan.FromSeconds(2), 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.Zero, Alpha: true);
            await using var runner = new CheckRunner(time, new Random(1), e => events.Enqueue((time.GetUtcNow(), e)));
            runner.Add(new("vs", "web"), 1, [new("HTTP_GET", timing, probe)]);
            Assert.False(runner.Find(new("vs", "web"))!.IsAlive);
            runner.Start();
            time.Advance(TimeSpan.Zero);
            await WaitAsync(() => runner.Runs == 1);
            time.Advance(timing.DelayLoop);
            await WaitAsync(() => runner.Runs == 2);
            Assert.DoesNotContain(events, e => e.E is RealServerUp);
            time.Advance(timing.DelayLoop);
            await WaitAsync(() => runner.Runs == 3);
            var up = Assert.Single(events, e => e.E is RealServerUp);
            Assert.Equal(DateTimeOffset.UnixEpoch + (2 * timing.DelayLoop), up.At);
        }
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && sw.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(5);
        Assert.True(condition());
    }
}
