using System.Diagnostics;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;
using Vigil.Checks.Runner;
using Vigil.Checks.Tests.Fakes;

namespace Vigil.Checks.Tests.Probes;

public class ScaleTests
{
    [Fact]
    public async Task Runner_2000TcpChecksOnLoopback_AllRunAndPass()
    {
        const int servers = 2000;
        var listeners = new List<FakeTcpServer>();
        for (var i = 0; i < 4; i++) listeners.Add(new FakeTcpServer((_, _) => Task.CompletedTask, backlog: 4096));
        try
        {
            var failures = 0;
            var timing = new CheckTiming(TimeSpan.FromSeconds(3), 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            await using var runner = new CheckRunner(TimeProvider.System, new Random(5), e =>
            {
                if (e is RealServerDown or CheckFailed) Interlocked.Increment(ref failures);
            });
            for (var i = 0; i < servers; i++)
            {
                var target = ProbeTestBase.Target(listeners[i % listeners.Count].Endpoint, timing.ConnectTimeout);
                runner.Add(new("vs", "rs" + i), 1, [new("TCP_CHECK", timing, new TcpProbe(target))]);
            }
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            runner.Start();
            while (runner.Runs < 3 * servers && sw.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50, TestContext.Current.CancellationToken);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var runs = runner.Runs;
            Assert.True(runs >= 3 * servers, $"only {runs} runs in {sw.Elapsed}");
            Assert.Equal(0, failures);
            // Client and fake servers share this process, so this is an upper bound for the checker alone.
            TestContext.Current.TestOutputHelper?.WriteLine($"{runs} TCP checks in {sw.Elapsed.TotalSeconds:0.0}s, {cpu.TotalMicroseconds / runs:0} us CPU per check (incl. fake servers)");
        }
        finally
        {
            foreach (var l in listeners) await l.DisposeAsync();
        }
    }
}
