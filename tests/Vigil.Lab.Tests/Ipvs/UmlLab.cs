using Vigil.Testing;
using Vigil.Testing.Uml;

namespace Vigil.Lab.Tests.Ipvs;

/// <summary>One UML boot per test, logged to the test output; shell lines for vigil and keepalived inside it.</summary>
internal static class UmlLab
{
    /// <summary>How long a daemon gets to program IPVS, pass a health check or stop: generous, the machine is shared.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    public static async Task<UmlResult> BootAsync(string body, IReadOnlyDictionary<string, string> files, TimeSpan? timeout = null, bool loadIpvs = true)
    {
        if (UmlMachine.UnavailableReason() is { } why)
        {
            Assert.Skip($"User-Mode Linux is not available: {why}");
        }
        var binary = LabDaemons.VigilBinary;
        if (!File.Exists(binary))
        {
            throw new LabRequirementException($"vigil binary not found at {binary}: run scripts/build or set VIGIL_BINARY");
        }
        var output = TestContext.Current.TestOutputHelper;
        var result = await UmlMachine.RunAsync(body, new UmlOptions
        {
            Files = files,
            LoadIpvs = loadIpvs,
            Timeout = timeout ?? TimeSpan.FromSeconds(150),
            Log = output is null ? null : output.WriteLine,
        }, TestContext.Current.CancellationToken);
        output?.WriteLine(result.Tail(25));
        Assert.True(result.Completed, "the UML body did not run to its end\n" + result.Tail());
        var prologue = result.File("uml.log").Split("prologue done")[0];
        Assert.DoesNotContain("failed", prologue, StringComparison.Ordinal);
        // Every bounded wait of the body reached its condition (a timeout is logged, and the asserts would see a half-done table).
        Assert.DoesNotContain("timeout after", result.File("uml.log"), StringComparison.Ordinal);
        return result;
    }

    /// <summary>vigil in the UML on /tmp/out/CONF with the IPVS data plane, as background job NAME.</summary>
    public static string StartVigil(string name, string conf, params string[] extra) =>
        UmlScript.Background(name, LabDaemons.VigilBinary,
            ["-n", "-l", "-D", "-f", $"{UmlMachine.Out}/{conf}", "-p", $"/run/{name}-main.pid", "--control-socket", $"/run/{name}.sock", "--dataplane", "ipvs", .. extra]);

    /// <summary>keepalived in the UML on /tmp/out/CONF, as background job NAME.</summary>
    public static string StartKeepalived(string name, string conf) =>
        UmlScript.Background(name, "keepalived",
            ["-n", "-l", "-D", "-f", $"{UmlMachine.Out}/{conf}", "-p", $"/run/{name}-main.pid", "-c", $"/run/{name}-checkers.pid", "-r", $"/run/{name}-vrrp.pid"]);

    /// <summary>A service vigil and keepalived did not create, added with ipvsadm.</summary>
    public const string ForeignService = "ipvsadm -A -t 10.77.0.99:80 -s rr && ipvsadm -a -t 10.77.0.99:80 -r 10.77.0.2:80 -m -w 1\n";

    public static readonly string[] ForeignLines = ["-A -t 10.77.0.99:80 -s rr", "-a -t 10.77.0.99:80 -r 10.77.0.2:80 -m -w 1"];
}
