using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Status;

namespace Vigil.Tests.Status;

public class StatusTextTests
{
    private static readonly StatusSnapshot Sample = new(
        [new VrrpInstanceStatus("VI_1", "MASTER", 51, "eth0", 100, 70, ["10.77.0.100/32"], [new TrackerStatus("chk_nginx", "script", false, -30)])],
        [new VirtualServerStatus("10.77.0.100", 80, "TCP", [new RealServerStatus("10.77.0.11", 80, 1, true), new RealServerStatus("10.77.0.12", 80, 0, false)])]);

    [Fact]
    public void Json_UsesSnakeCaseNames_AndRoundTrips()
    {
        var json = StatusText.ToJson(Sample);
        foreach (var name in new[] { "\"vrrp\"", "\"base_priority\"", "\"effective_priority\"", "\"virtual_servers\"", "\"real_servers\"", "\"alive\"" })
        {
            Assert.Contains(name, json);
        }
        var back = StatusText.FromJson(json)!;
        Assert.Equal("MASTER", back.Vrrp[0].State);
        Assert.Equal(70, back.Vrrp[0].EffectivePriority);
        Assert.False(back.VirtualServers[0].RealServers[1].Alive);
    }

    [Fact]
    public void Table_ShowsStatePriorityAndHealth()
    {
        var table = StatusText.ToTable(Sample);
        Assert.Contains("VI_1", table);
        Assert.Contains("70 (base 100)", table);
        Assert.Contains("10.77.0.100:80/TCP", table);
        Assert.Contains("down", table);
    }

    [Fact]
    public async Task ControlServer_AnswersStatusOverUnixSocket_WithMode0600()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-ctl-").FullName;
        var path = Path.Combine(dir, "v.sock");
        try
        {
            await using (ControlServer.Start(path, () => Sample, NullLogger.Instance))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                var json = await ControlServer.QueryAsync(path, "status json", TimeSpan.FromSeconds(5));
                Assert.Equal("VI_1", StatusText.FromJson(json)!.Vrrp[0].Name);
                var table = await ControlServer.QueryAsync(path, "status", TimeSpan.FromSeconds(5));
                Assert.Contains("VRRP instances", table);
                var bad = await ControlServer.QueryAsync(path, "reboot", TimeSpan.FromSeconds(5));
                Assert.StartsWith("error:", bad);
                var clash = Assert.Throws<InvalidOperationException>(() => ControlServer.Start(path, () => Sample, NullLogger.Instance));
                Assert.Contains("in use", clash.Message);
            }
            Assert.False(File.Exists(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ControlServer_DisposeRightAfterStart_NeverThrows()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-ctl-").FullName;
        try
        {
            // The accept loop may be between its stop check and its accept when dispose closes the listener.
            for (var i = 0; i < 200; i++)
            {
                var server = ControlServer.Start(Path.Combine(dir, "v.sock"), () => Sample, NullLogger.Instance);
                if (i % 2 == 0)
                {
                    await Task.Yield();
                }
                await server.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
