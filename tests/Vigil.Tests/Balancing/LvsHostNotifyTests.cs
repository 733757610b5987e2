using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Balancing;
using Vigil.Balancing.Model;
using Vigil.Checks.Probes;
using Vigil.Config;
using Vigil.Tests.Alerts;

namespace Vigil.Tests.Balancing;

/// <summary>LvsHost hands real-server and quorum transitions to its notifier, in keepalived's order (RS line, then VS line).</summary>
public sealed class LvsHostNotifyTests
{
    private static string Config(NotifyScratch scratch, string extra = "") => $$"""
        global_defs {
            lvs_notify_fifo {{scratch.PathOf("lvs.fifo")}}
        }
        virtual_server 10.77.0.100 80 {
            delay_loop 5
            lb_algo wrr
            lb_kind NAT
            protocol TCP
            quorum 4
            quorum_up "{{scratch.Script}} quorum_up"
            quorum_down "{{scratch.Script}} quorum_down"
        {{extra}}
            real_server 10.77.0.11 80 {
                weight 3
                MISC_CHECK {
                    misc_path /check/11
                }
            }
            real_server 10.77.0.12 80 {
                weight 1
                notify_up "{{scratch.Script}} up 12"
                notify_down "{{scratch.Script}} down 12"
                MISC_CHECK {
                    misc_path /check/12
                }
            }
        }
        """;

    private static KeepalivedConfig Load(string text)
    {
        var result = ConfigLoader.LoadText(text);
        return result.Config ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
    }

    /// <summary>Advances the fake clock a second at a time until the condition holds (bounded in steps and real time).</summary>
    private static void AdvanceUntil(FakeTimeProvider time, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        for (var step = 0; step < 200 && !condition() && DateTime.UtcNow < deadline; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            SpinWait.SpinUntil(condition, 20);
        }
        Assert.True(condition(), "condition not reached");
    }

    [Fact]
    public async Task RealServerDownAndBack_FifoLinesScriptsAndQuorum_InKeepalivedsOrder()
    {
        using var scratch = new NotifyScratch();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var checks = new ExitCodes();
        var runner = new RecordingScriptRunner();
        var host = new LvsHost(new NullPlane(), time, new ProbeFactory(checks), NullLogger.Instance, new Random(1), runner);
        host.Start(Load(Config(scratch)));
        using var fifo = new FifoReader(scratch.PathOf("lvs.fifo"));

        // Started with quorum: keepalived announces it.
        Assert.Equal(["VS [10.77.0.100]:tcp:80 UP"], await fifo.ReadLinesAsync(1));

        checks.Exit["/check/12"] = 1;
        AdvanceUntil(time, () => host.Notifier!.Notifications >= 3);
        Assert.Equal(["VS [10.77.0.100]:tcp:80 UP", "RS [10.77.0.12]:tcp:80 [10.77.0.100]:tcp:80 DOWN", "VS [10.77.0.100]:tcp:80 DOWN"],
            await fifo.ReadLinesAsync(3));

        checks.Exit["/check/12"] = 0;
        AdvanceUntil(time, () => host.Notifier!.Notifications >= 5);
        var lines = await fifo.ReadLinesAsync(5);
        Assert.Equal(["RS [10.77.0.12]:tcp:80 [10.77.0.100]:tcp:80 UP", "VS [10.77.0.100]:tcp:80 UP"], lines[3..]);

        var runs = await runner.WaitForRunsAsync(5);
        // Scripts of different servers run on their own queues: compare them as a set (each once, quorum_up twice).
        Assert.Equal(new[] { "quorum_up", "down 12", "quorum_down", "up 12", "quorum_up" }.Order(StringComparer.Ordinal),
            runs.Select(r => string.Join(' ', r.Skip(1))).Order(StringComparer.Ordinal));
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Start_AlphaWithoutQuorum_NoVirtualServerLineUntilQuorumIsGained()
    {
        using var scratch = new NotifyScratch();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var checks = new ExitCodes();
        var host = new LvsHost(new NullPlane(), time, new ProbeFactory(checks), NullLogger.Instance, new Random(1), new RecordingScriptRunner());
        host.Start(Load(Config(scratch, "    alpha")));
        using var fifo = new FifoReader(scratch.PathOf("lvs.fifo"));

        AdvanceUntil(time, () => host.Notifier!.Notifications >= 3);

        var lines = await fifo.ReadLinesAsync(3);
        // keepalived compat (observed): alpha servers start down, silently; each coming up is announced, then the quorum.
        Assert.Equal("VS [10.77.0.100]:tcp:80 UP", lines[^1]);
        Assert.Equal(["RS [10.77.0.11]:tcp:80 [10.77.0.100]:tcp:80 UP", "RS [10.77.0.12]:tcp:80 [10.77.0.100]:tcp:80 UP"], lines[..2].Order());
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Reload_VirtualServerAdded_OnlyTheNewOneAnnouncesItsQuorum()
    {
        using var scratch = new NotifyScratch();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var runner = new RecordingScriptRunner();
        var host = new LvsHost(new NullPlane(), time, new ProbeFactory(new ExitCodes()), NullLogger.Instance, new Random(1), runner);
        var config = Config(scratch);
        host.Start(Load(config));
        using var fifo = new FifoReader(scratch.PathOf("lvs.fifo"));
        Assert.Equal(["VS [10.77.0.100]:tcp:80 UP"], await fifo.ReadLinesAsync(1));

        host.Reload(Load(config + """

            virtual_server 10.77.0.101 443 {
                protocol TCP
                real_server 10.77.0.11 443 {
                    MISC_CHECK {
                        misc_path /check/11
                    }
                }
            }
            """));

        Assert.Equal(["VS [10.77.0.100]:tcp:80 UP", "VS [10.77.0.101]:tcp:443 UP"], await fifo.ReadLinesAsync(2));
        Assert.Equal(2, host.Notifier!.Notifications);
        // quorum_up ran once, at start: the unchanged virtual server is not announced again.
        Assert.Equal([[scratch.Script, "quorum_up"]], await runner.WaitForRunsAsync(1));
        await host.DisposeAsync();
    }

    private sealed class NullPlane : IDataPlane
    {
        public string Name => "null";

        public IReadOnlyList<string> Validate(VirtualServerModel virtualServer) => [];

        public void Apply(DataPlaneState desired, Func<ServiceKey, bool> owned)
        {
        }

        public void Remove(IEnumerable<ServiceKey> services)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class ExitCodes : IScriptRunner
    {
        public ConcurrentDictionary<string, int> Exit { get; } = new();

        public Task<ScriptResult> RunAsync(ScriptRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new ScriptResult(Exit.GetValueOrDefault(request.Argv[0]), false));
    }
}
