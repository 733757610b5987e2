using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Balancing;
using Vigil.Balancing.Model;
using Vigil.Checks.Probes;
using Vigil.Config;

namespace Vigil.Tests.Balancing;

public class LvsHostTests
{
    private const string Config = """
        virtual_server 10.77.0.100 80 {
            delay_loop 5
            lb_algo wrr
            lb_kind NAT
            protocol TCP
            real_server 10.77.0.11 80 {
                weight 3
                MISC_CHECK {
                    misc_path /check/11
                }
            }
            real_server 10.77.0.12 80 {
                weight 1
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

    private static Dictionary<string, int> Weights(DataPlaneState state) =>
        Assert.Single(state.Services.Values).Destinations.ToDictionary(d => d.Key.Address.ToString(), d => d.Value.Weight);

    /// <summary>Advances the fake clock one delay_loop at a time until the condition holds (bounded in steps and real time).</summary>
    private static void AdvanceUntil(FakeTimeProvider time, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        for (var step = 0; step < 200 && !condition(); step++)
        {
            if (DateTime.UtcNow > deadline) break;
            time.Advance(TimeSpan.FromSeconds(1));
            SpinWait.SpinUntil(condition, 20);
        }
        Assert.True(condition(), "condition not reached");
    }

    [Fact]
    public async Task Start_CheckersUp_BothRealServersAtConfiguredWeights()
    {
        var (host, plane, _, _) = Create();
        await using var _1 = host;

        var result = host.Start(Load(Config));

        Assert.Empty(result.Errors);
        Assert.Equal(new Dictionary<string, int> { ["10.77.0.11"] = 3, ["10.77.0.12"] = 1 }, Weights(plane.Last));
    }

    [Fact]
    public async Task HealthEvent_CheckFails_ServerLeavesDataPlaneAndSnapshotShowsDead()
    {
        var (host, plane, scripts, time) = Create();
        await using var _1 = host;
        host.Start(Load(Config));

        scripts.Exit["/check/12"] = 1;
        AdvanceUntil(time, () => plane.Last.DestinationCount == 1);

        Assert.Equal(new Dictionary<string, int> { ["10.77.0.11"] = 3 }, Weights(plane.Last));
        var vs = Assert.Single(host.Snapshot());
        Assert.Equal("10.77.0.100", vs.Address);
        Assert.Equal([("10.77.0.11", true), ("10.77.0.12", false)], vs.RealServers.Select(r => (r.Address, r.Alive)));

        scripts.Exit["/check/12"] = 0;
        AdvanceUntil(time, () => plane.Last.DestinationCount == 2);
    }

    [Fact]
    public async Task Reload_WeightOfOneServerChanged_OtherKeepsItsDownState()
    {
        var (host, plane, scripts, time) = Create();
        await using var _1 = host;
        host.Start(Load(Config));
        scripts.Exit["/check/12"] = 1;
        AdvanceUntil(time, () => plane.Last.DestinationCount == 1);

        host.Reload(Load(Config.Replace("weight 3", "weight 5", StringComparison.Ordinal)));

        Assert.Equal(new Dictionary<string, int> { ["10.77.0.11"] = 5 }, Weights(plane.Last));
    }

    [Fact]
    public async Task Reload_VirtualServerRemoved_ServiceDeletedFromDataPlane()
    {
        var (host, plane, _, _) = Create();
        await using var _1 = host;
        host.Start(Load(Config));

        host.Reload(Load("global_defs {\n router_id x\n}\n"));

        Assert.Empty(plane.Last.Services);
        Assert.Empty(host.Snapshot());
    }

    [Fact]
    public async Task Start_SchedulerTheBackendCannotExpress_ErrorNamesSchedulerAndBackend()
    {
        var (host, plane, _, _) = Create(validate: NftablesBackend.Check);
        await using var _1 = host;

        var result = host.Start(Load(Config.Replace("lb_algo wrr", "lb_algo wlc", StringComparison.Ordinal)));

        var error = Assert.Single(result.Errors);
        Assert.Contains("lb_algo wlc", error, StringComparison.Ordinal);
        Assert.Contains("nftables", error, StringComparison.Ordinal);
        Assert.Empty(plane.Last.Services);
    }

    [Fact]
    public async Task StopAsync_WithoutKeep_RemovesOwnedServices_WithKeep_LeavesThem()
    {
        var (host, plane, _, _) = Create();
        host.Start(Load(Config));
        await host.StopAsync(keepServices: false);
        Assert.Single(plane.Removed);

        var (kept, plane2, _, _) = Create();
        kept.Start(Load(Config));
        await kept.StopAsync(keepServices: true);
        Assert.Empty(plane2.Removed);
    }

    [Fact]
    public async Task Start_QuorumLostWithSorryServer_SorryServerServes()
    {
        var (host, plane, scripts, time) = Create();
        await using var _1 = host;
        var config = Config.Replace("protocol TCP", "protocol TCP\n    quorum 2\n    sorry_server 10.77.0.99 80", StringComparison.Ordinal);
        host.Start(Load(config));

        scripts.Exit["/check/11"] = 1;
        AdvanceUntil(time, () => plane.Last.Services.Values.Single().Destinations.Keys.Any(k => k.Address.ToString() == "10.77.0.99"));

        Assert.Equal(new Dictionary<string, int> { ["10.77.0.99"] = 1 }, Weights(plane.Last));
    }

    private static (LvsHost Host, RecordingPlane Plane, FakeScripts Scripts, FakeTimeProvider Time) Create(Func<VirtualServerModel, IReadOnlyList<string>>? validate = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var plane = new RecordingPlane(validate ?? (_ => []));
        var scripts = new FakeScripts();
        var host = new LvsHost(plane, time, new ProbeFactory(scripts), NullLogger.Instance, new Random(1));
        return (host, plane, scripts, time);
    }

    private sealed class RecordingPlane(Func<VirtualServerModel, IReadOnlyList<string>> validate) : IDataPlane
    {
        private volatile DataPlaneState _last = DataPlaneState.Empty;

        public string Name => "recording";

        public DataPlaneState Last => _last;

        public List<IReadOnlyList<ServiceKey>> Removed { get; } = [];

        public IReadOnlyList<string> Validate(VirtualServerModel virtualServer) => validate(virtualServer);

        public void Apply(DataPlaneState desired, Func<ServiceKey, bool> owned) => _last = desired;

        public void Remove(IEnumerable<ServiceKey> services) => Removed.Add([.. services]);

        public void Dispose()
        {
        }
    }

    private sealed class FakeScripts : IScriptRunner
    {
        public ConcurrentDictionary<string, int> Exit { get; } = new();

        public Task<ScriptResult> RunAsync(ScriptRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new ScriptResult(Exit.GetValueOrDefault(request.Argv[0]), false));
    }
}
