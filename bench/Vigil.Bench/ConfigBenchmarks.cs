using System.Text;
using BenchmarkDotNet.Attributes;
using Vigil.Config;

namespace Vigil.Bench;

/// <summary>Parse and validate a generated keepalived.conf of 1,000 virtual servers x 10 real servers
/// (each with a TCP_CHECK), plus two VRRP instances. Target: under 100 ms.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class ConfigBenchmarks
{
    private const string Path = "/etc/keepalived/keepalived.conf";
    private ConfigLoadOptions _options = null!;

    public static string Generate(int virtualServers, int realServers)
    {
        var text = new StringBuilder();
        text.Append("global_defs {\n    router_id bench\n}\n");
        for (var v = 0; v < 2; v++)
        {
            text.Append($"vrrp_instance VI_{v} {{\n    state BACKUP\n    interface eth0\n    virtual_router_id {v + 1}\n    priority 100\n")
                .Append($"    virtual_ipaddress {{\n        10.{v}.0.1/16\n    }}\n}}\n");
        }
        for (var s = 0; s < virtualServers; s++)
        {
            text.Append($"virtual_server 10.1.{s / 250}.{s % 250 + 1} 80 {{\n    delay_loop 6\n    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n");
            for (var r = 0; r < realServers; r++)
            {
                text.Append($"    real_server 10.2.{s / 25}.{(s % 25) * 10 + r + 1} 8080 {{\n        weight {r + 1}\n")
                    .Append("        TCP_CHECK {\n            connect_timeout 3\n        }\n    }\n");
            }
            text.Append("}\n");
        }
        return text.ToString();
    }

    [GlobalSetup]
    public void Setup()
    {
        var files = new InMemoryFileSystem().Add(Path, Generate(1000, 10));
        _options = new ConfigLoadOptions { FileSystem = files, Interfaces = new FixedHostInterfaces("lo", "eth0") };
        var result = ConfigLoader.Load(Path, _options);
        if (result.Diagnostics.Count != 0 || result.Config!.VirtualServers.Count != 1000)
        {
            throw new InvalidOperationException("generated config does not load cleanly: " + string.Join("\n", result.Diagnostics.Take(5)));
        }
    }

    [Benchmark]
    public int LoadAndValidate_1000VirtualServersX10RealServers() =>
        ConfigLoader.Load(Path, _options).Config!.VirtualServers.Count;
}
