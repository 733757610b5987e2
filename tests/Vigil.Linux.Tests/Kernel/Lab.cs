using System.Diagnostics;
using System.Text.Json;

namespace Vigil.Linux.Tests.Kernel;

/// <summary>
/// A private lab fixture (until tests/Vigil.Testing has one): two network namespaces, uniquely named
/// vl-PID-N-a / -b, joined by a veth pair va (in a) and vb (in b), with 10.77.0.1|2/24 and fd77::1|2/64.
/// Test fixtures may shell out to `ip`; product code never does. Dispose deletes both namespaces,
/// which also destroys the veth pair, whether the test passed or not.
/// </summary>
internal sealed class LabPair : IDisposable
{
    private static int s_counter;

    private LabPair(string prefix)
    {
        A = prefix + "a";
        B = prefix + "b";
    }

    public string A { get; }

    public string B { get; }

    /// <summary>Skips the calling test unless we are root with iproute2 installed.</summary>
    public static void RequireRoot() =>
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "kernel test: needs root (network namespaces)");

    public static LabPair Create(bool addresses = true)
    {
        RequireRoot();
        var lab = new LabPair($"vl-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}");
        try
        {
            Ip($"netns add {lab.A}");
            Ip($"netns add {lab.B}");
            // No IPv6 DAD in the lab: link-local addresses are usable at once, so tests need not wait ~2 s.
            foreach (var ns in new[] { lab.A, lab.B })
            {
                Ip($"netns exec {ns} sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0");
            }
            Ip($"-n {lab.A} link add va type veth peer name vb netns {lab.B}");
            Ip($"-n {lab.A} link set lo up");
            Ip($"-n {lab.B} link set lo up");
            if (addresses)
            {
                Ip($"-n {lab.A} addr add 10.77.0.1/24 dev va");
                Ip($"-n {lab.B} addr add 10.77.0.2/24 dev vb");
                Ip($"-n {lab.A} addr add fd77::1/64 dev va nodad");
                Ip($"-n {lab.B} addr add fd77::2/64 dev vb nodad");
            }
            Ip($"-n {lab.A} link set va up");
            Ip($"-n {lab.B} link set vb up");
            // The kernel adds the fe80:: address asynchronously once the link is up (and has a carrier).
            // Operstate UP means linkwatch has handled the carrier (which restarts DAD); only then is the
            // link-local stable.
            var ready = WaitUntil(() => IsOperUp(lab.A, "va") && IsOperUp(lab.B, "vb") && HasLinkLocal(lab.A, "va") && HasLinkLocal(lab.B, "vb"), TimeSpan.FromSeconds(5));
            if (!ready)
            {
                throw new TimeoutException("veth link-local addresses did not appear in 5 s");
            }
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Runs `ip ARGS` and returns its standard output; throws with stderr if it fails.</summary>
    public static string Ip(string arguments)
    {
        var info = new ProcessStartInfo("ip", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ip did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
            throw new TimeoutException($"ip {arguments} did not finish in 10 s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {arguments} failed ({process.ExitCode}): {stderr.Result}");
        }
        return stdout.Result;
    }

    /// <summary>`ip -j -n NS ARGS` parsed as JSON.</summary>
    public static JsonElement IpJson(string ns, string arguments)
    {
        using var document = JsonDocument.Parse(Ip($"-j -n {ns} {arguments}"));
        return document.RootElement.Clone();
    }

    private static bool IsOperUp(string ns, string device) =>
        IpJson(ns, $"link show dev {device}").EnumerateArray().Any(l => l.GetProperty("operstate").GetString() == "UP");

    private static bool HasLinkLocal(string ns, string device) =>
        IpJson(ns, $"-6 addr show dev {device} scope link").EnumerateArray()
            .SelectMany(l => l.GetProperty("addr_info").EnumerateArray())
            .Any(a => !a.TryGetProperty("tentative", out _));

    /// <summary>Polls <paramref name="condition"/> until true or <paramref name="timeout"/> passes.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }
            Thread.Yield();
            Thread.Sleep(10); // test polling only; product code never sleeps
        }
        return condition();
    }

    public void Dispose()
    {
        foreach (var ns in new[] { A, B })
        {
            try
            {
                Ip($"netns del {ns}");
            }
            catch (InvalidOperationException)
            {
                // not created (setup failed early)
            }
        }
    }
}
