using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;
using Vigil.Checks.Runner;
using Vigil.Checks.Tests.Fakes;

namespace Vigil.Checks.Tests.Probes;

/// <summary>Checks against a real nginx on loopback (skipped when nginx is not installed).</summary>
public class NginxTests
{
    private const string Page = "<html><body>vigil backend 1</body></html>\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<NginxInstance> StartAsync()
    {
        var nginx = await NginxInstance.StartAsync(Page);
        if (nginx is null) Assert.Skip("nginx is not installed");
        return nginx;
    }

    [Fact]
    public async Task Genhash_Digest_EqualsMd5OfThePageAndFeedsHttpGet()
    {
        await using var nginx = await StartAsync();
        using var writer = new StringWriter { NewLine = "\n" };
        await Vigil.Checks.Genhash.Genhash.RunAsync(new(IPAddress.Loopback, nginx.Port, "/index.html"), writer, cancellationToken: Ct);
        var digest = writer.ToString().Trim();
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(await File.ReadAllBytesAsync(nginx.IndexPath, Ct))), digest);

        foreach (var protocol in new[] { HttpProtocol.Http10, HttpProtocol.Http10Close, HttpProtocol.Http11 })
        {
            var probe = new HttpProbe(ProbeTestBase.Target(nginx.Endpoint, TimeSpan.FromSeconds(3)), new([new HttpUrl("/index.html", Digest: digest)], Protocol: protocol));
            var result = await probe.RunAsync(Ct);
            Assert.True(result.Success, $"{protocol}: {result.Reason}");
        }
    }

    [Fact]
    public async Task Genhash_KeepalivedAgrees_OnNginxDigest()
    {
        var keepalived = ExternalTool.Find("keepalived");
        if (keepalived is null) Assert.Skip("keepalived is not installed");
        await using var nginx = await StartAsync();
        var (_, theirs) = await ExternalTool.RunAsync(keepalived, ["-T", "-s", "127.0.0.1", "-p", nginx.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", "/index.html"], TimeSpan.FromSeconds(10));
        using var writer = new StringWriter { NewLine = "\n" };
        await Vigil.Checks.Genhash.Genhash.RunAsync(new(IPAddress.Loopback, nginx.Port, "/index.html"), writer, cancellationToken: Ct);
        Assert.Equal(theirs.Trim(), writer.ToString().Trim());
    }

    [Fact]
    public async Task HttpGet_503_CountsAsDown()
    {
        await using var nginx = await StartAsync();
        var probe = new HttpProbe(ProbeTestBase.Target(nginx.Endpoint, TimeSpan.FromSeconds(3)), new([new HttpUrl("/unavailable")]));
        var result = await probe.RunAsync(Ct);
        Assert.False(result.Success);
        Assert.Contains("status 503", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGet_PageChanged_FailsOnDigest()
    {
        await using var nginx = await StartAsync();
        var probe = new HttpProbe(ProbeTestBase.Target(nginx.Endpoint, TimeSpan.FromSeconds(3)), new([new HttpUrl("/index.html", Digest: HttpProbe.Digest(Encoding.UTF8.GetBytes(Page)))]));
        Assert.True((await probe.RunAsync(Ct)).Success);
        await File.WriteAllTextAsync(nginx.IndexPath, "defaced\n", Ct);
        Assert.False((await probe.RunAsync(Ct)).Success);
    }

    [Fact]
    public async Task NginxStopped_ProbeFailsWithinConnectTimeout_AndRunnerGoesDownAfterRetries()
    {
        await using var nginx = await StartAsync();
        var connectTimeout = TimeSpan.FromSeconds(1);
        var probe = new HttpProbe(ProbeTestBase.Target(nginx.Endpoint, connectTimeout), new([new HttpUrl("/index.html")]));
        Assert.True((await probe.RunAsync(Ct)).Success);

        await nginx.StopAsync();
        var sw = Stopwatch.StartNew();
        var failed = await probe.RunAsync(Ct);
        Assert.False(failed.Success);
        Assert.True(sw.Elapsed <= connectTimeout + TimeSpan.FromMilliseconds(500), sw.Elapsed.ToString());

        // The runner on a fake clock, with the real probe: the server is DOWN after exactly
        // delay_loop + retry x delay_before_retry past the last success, each run bounded by connect_timeout.
        await nginx.StartProcessAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var events = new ConcurrentQueue<(DateTimeOffset At, HealthEvent Event)>();
        var timing = new CheckTiming(connectTimeout, Retry: 2, DelayBeforeRetry: TimeSpan.FromSeconds(3), DelayLoop: TimeSpan.FromSeconds(10), Warmup: TimeSpan.Zero);
        await using var runner = new CheckRunner(time, new Random(1), e => events.Enqueue((time.GetUtcNow(), e)));
        var id = new RealServerId("vs", "nginx");
        runner.Add(id, 1, [new("HTTP_GET", timing, probe)]);
        runner.Start();
        time.Advance(TimeSpan.Zero);
        await WaitForRunsAsync(runner, 1);
        Assert.True(runner.Find(id)!.IsAlive);

        await nginx.StopAsync();
        var stoppedAt = time.GetUtcNow();
        for (var run = 2; run <= 4; run++)
        {
            time.Advance(run == 2 ? timing.DelayLoop : timing.DelayBeforeRetry);
            await WaitForRunsAsync(runner, run);
        }
        var down = Assert.Single(events, e => e.Event is RealServerDown);
        Assert.Equal(stoppedAt + timing.DelayLoop + (timing.Retry * timing.DelayBeforeRetry), down.At);
        Assert.False(runner.Find(id)!.IsAlive);

        await nginx.StartProcessAsync();
        time.Advance(timing.DelayLoop);
        await WaitForRunsAsync(runner, 5);
        Assert.Single(events, e => e.Event is RealServerUp);
    }

    private static async Task WaitForRunsAsync(CheckRunner runner, long runs)
    {
        var sw = Stopwatch.StartNew();
        while (runner.Runs < runs && sw.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(5);
        Assert.Equal(runs, runner.Runs);
    }
}
