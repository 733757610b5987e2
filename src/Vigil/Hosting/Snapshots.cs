using System.Net.Sockets;
using Vigil.Dumps;
using Vigil.Status;
using Vigil.Vrrp;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Stats;

namespace Vigil.Hosting;

/// <summary>Builds status and dump views of the running daemon, read on the VRRP loop so they are consistent.</summary>
internal sealed class Snapshots(EventLoop loop, VrrpHost vrrp, TimeProvider time)
{
    /// <summary>The virtual servers' view, when the daemon runs any (set once the LVS side starts).</summary>
    public Func<IReadOnlyList<VirtualServerStatus>>? VirtualServers { get; set; }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public StatusSnapshot Status()
    {
        var vrrpView = loop.InvokeAsync(_ => BuildStatus()).WaitAsync(Patience).GetAwaiter().GetResult();
        return VirtualServers is { } lvs ? vrrpView with { VirtualServers = lvs() } : vrrpView;
    }

    public IReadOnlyList<Metrics.MetricSample> Samples() => loop.InvokeAsync(_ => BuildSamples()).WaitAsync(Patience).GetAwaiter().GetResult();

    private List<Metrics.MetricSample> BuildSamples()
    {
        var samples = new List<Metrics.MetricSample>();
        foreach (var i in vrrp.Instances)
        {
            var st = i.Router.Stats;
            var labels = Metrics.PrometheusText.Labels(("instance", i.Config.Name));
            samples.Add(new("vigil_vrrp_adverts_sent_total", "counter", "Adverts sent", labels, st.AdvertsSent));
            samples.Add(new("vigil_vrrp_adverts_received_total", "counter", "Adverts accepted", labels, st.AdvertsReceived));
            samples.Add(new("vigil_vrrp_became_master_total", "counter", "Transitions to MASTER", labels, st.BecameMaster));
            samples.Add(new("vigil_vrrp_released_master_total", "counter", "Transitions out of MASTER", labels, st.ReleasedMaster));
            foreach (var reason in Enum.GetValues<Vigil.Vrrp.Packets.VrrpDropReason>())
            {
                if (reason != Vigil.Vrrp.Packets.VrrpDropReason.None && st.Dropped(reason) is var n and > 0)
                {
                    samples.Add(new("vigil_vrrp_packets_dropped_total", "counter", "Received packets dropped, by reason",
                        Metrics.PrometheusText.Labels(("instance", i.Config.Name), ("reason", reason.ToString())), n));
                }
            }
        }
        foreach (var q in new[] { 0.5, 0.99, 1.0 })
        {
            if (vrrp.TakeoverLatency.Quantile(q) is { } value)
            {
                samples.Add(new("vigil_vrrp_takeover_latency_seconds", "summary",
                    "Master-down timer expiry to VIPs installed and GARPs sent",
                    Metrics.PrometheusText.Labels(("quantile", q.ToString(System.Globalization.CultureInfo.InvariantCulture))), value));
            }
        }
        samples.Add(new("vigil_vrrp_takeover_latency_seconds_count", "counter", "Timer takeovers measured", "", vrrp.TakeoverLatency.Count));
        samples.Add(new("vigil_vrrp_unknown_vrid_packets_total", "counter", "Adverts for a VRID no instance runs", "", vrrp.UnknownVridPackets));
        AddProcessSamples(samples);
        return samples;
    }

    /// <summary>Checker and script totals of the whole process (checkers, track scripts, notify scripts).</summary>
    internal static void AddProcessSamples(List<Metrics.MetricSample> samples)
    {
        foreach (var c in Vigil.Checks.Runner.CheckRunner.ProcessCounters.Snapshot())
        {
            foreach (var (result, count) in new[] { ("pass", c.Passed), ("fail", c.Failed) })
            {
                samples.Add(new("vigil_checker_checks_total", "counter", "Health checks completed, by checker keyword and result",
                    Metrics.PrometheusText.Labels(("checker", c.Checker), ("result", result)), count));
            }
            // Mean latency of a checker: rate(vigil_checker_seconds_total) / rate(vigil_checker_checks_total).
            samples.Add(new("vigil_checker_seconds_total", "counter", "Time spent in health checks (connect to verdict), by checker keyword",
                Metrics.PrometheusText.Labels(("checker", c.Checker)), c.Time.TotalSeconds));
        }
        var scripts = Vigil.Linux.Scripts.ScriptRunner.ProcessCounters;
        samples.Add(new("vigil_script_runs_total", "counter", "Scripts run (vrrp_script, notify, MISC_CHECK, ...)", "", scripts.Runs));
        samples.Add(new("vigil_script_failures_total", "counter", "Script runs that failed to start, exited non-zero or timed out", "", scripts.Failures));
        samples.Add(new("vigil_script_timeouts_total", "counter", "Script runs killed at their timeout", "", scripts.Timeouts));
    }

    public IReadOnlyList<VrrpDumpEntry> Dump() => loop.InvokeAsync(now => BuildDump(now)).WaitAsync(Patience).GetAwaiter().GetResult();

    private StatusSnapshot BuildStatus() => new(
        [.. vrrp.Instances.Select(i =>
        {
            var s = i.Router.GetSnapshot();
            return new VrrpInstanceStatus(i.Config.Name, Vigil.Vrrp.Notify.VrrpNotifyFormat.StateName(s.State), s.VirtualRouterId, i.InterfaceName,
                s.BasePriority, s.EffectivePriority, [.. i.Config.VirtualIpAddresses.Select(v => $"{v.Address}/{PrefixOf(v)}")], []);
        })],
        []);

    private IReadOnlyList<VrrpDumpEntry> BuildDump(TimeSpan now)
    {
        var wallNow = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        return [.. vrrp.Instances.Select(i =>
        {
            var s = i.Router.GetSnapshot();
            var c = i.Config;
            var data = new VrrpDumpData
            {
                Iname = c.Name,
                Vrid = s.VirtualRouterId,
                Interface = i.InterfaceName,
                // VrrpState's numbers are keepalived's JSON state codes (0 INIT ... 98 STOP).
                State = (int)s.State,
                WantState = (int)s.State,
                Version = (int)s.Version,
                BasePriority = s.BasePriority,
                EffectivePriority = s.EffectivePriority,
                MasterPriority = s.MasterPriority,
                AdvertIntervalSeconds = s.AdvertInterval.TotalSeconds,
                MasterAdvertIntervalSeconds = s.MasterAdvertInterval.TotalSeconds,
                LastTransitionUnixSeconds = wallNow - (now - s.LastTransition).TotalSeconds,
                DontTrackPrimary = c.DontTrackPrimary,
                SkipCheckAdvAddr = c.SkipCheckAdvAddr,
                StrictMode = c.StrictMode,
                GarpDelaySeconds = c.GarpMasterDelay.TotalSeconds,
                GarpRefreshSeconds = c.GarpMasterRefresh.TotalSeconds,
                GarpRepeat = c.GarpMasterRepeat,
                GarpRefreshRepeat = c.GarpMasterRefreshRepeat,
                GarpLowerPrioDelaySeconds = c.GarpLowerPrioDelay.TotalSeconds,
                GarpLowerPrioRepeat = c.GarpLowerPrioRepeat,
                LowerPrioNoAdvert = c.LowerPrioNoAdvert,
                HigherPrioSendAdvert = c.HigherPrioSendAdvert,
                VipSet = s.State == VrrpState.Master,
                PromoteSecondaries = c.PromoteSecondaries,
                Accept = c.Accept,
                Nopreempt = c.Nopreempt,
                PreemptDelaySeconds = c.PreemptDelay.TotalSeconds,
                Vips = [.. c.VirtualIpAddresses.Select(v => $"{v.Address}/{PrefixOf(v)} dev {v.Device ?? i.InterfaceName} scope {v.Scope ?? "global"}{(s.State == VrrpState.Master ? " set" : "")}")],
                ExcludedVips = [.. c.VirtualIpAddressesExcluded.Select(v => $"{v.Address}/{PrefixOf(v)} dev {v.Device ?? i.InterfaceName} scope {v.Scope ?? "global"}")],
                TrackScripts = [.. c.TrackScripts.Select(t => t.Name)],
                AuthType = c.Authentication is null ? 0 : c.Authentication.Type == Config.VrrpAuthType.Pass ? 1 : 2,
            };
            var st = s.Stats;
            var stats = new VrrpDumpStats
            {
                AdvertReceived = st.AdvertsReceived,
                AdvertSent = st.AdvertsSent,
                BecomeMaster = st.BecameMaster,
                ReleaseMaster = st.ReleasedMaster,
                PacketLengthErrors = st.PacketLengthErrors,
                AdvertIntervalErrors = st.AdvertIntervalErrors,
                IpTtlErrors = st.TtlErrors,
                InvalidTypeReceived = st.InvalidTypeReceived,
                AddressListErrors = st.AddressListErrors,
                AuthTypeMismatch = st.AuthTypeMismatch,
                AuthFailure = st.AuthFailure,
                PriorityZeroReceived = st.PriorityZeroReceived,
                PriorityZeroSent = st.PriorityZeroSent,
            };
            return new VrrpDumpEntry(data, stats);
        })];
    }

    private static int PrefixOf(Config.VirtualAddressConfig v) =>
        v.PrefixLength > 0 ? v.PrefixLength : v.Address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
}
