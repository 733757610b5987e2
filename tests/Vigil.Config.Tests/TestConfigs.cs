namespace Vigil.Config.Tests;

internal static class TestConfigs
{
    public static readonly FixedHostInterfaces Host = new("lo", "eth0", "eth1", "eth2");

    public static ConfigLoadOptions Options(InMemoryFileSystem? fs = null) => new()
    {
        FileSystem = fs ?? new InMemoryFileSystem(),
        Interfaces = Host,
    };

    public static ConfigLoadResult Load(string text, ConfigLoadOptions? options = null) =>
        ConfigLoader.LoadText(text, options ?? Options());

    public static KeepalivedConfig Clean(string text, ConfigLoadOptions? options = null)
    {
        var result = Load(text, options);
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        return result.Config!;
    }

    public static string Instance(string name = "VI_1", int vrid = 51, string extra = "") => $$"""
        vrrp_instance {{name}} {
            state BACKUP
            interface eth0
            virtual_router_id {{vrid}}
            priority 100
            virtual_ipaddress {
                10.77.0.{{vrid % 250 + 1}}/24
            }
            {{extra}}
        }

        """;
}
