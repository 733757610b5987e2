using System.Text.Json;
using Vigil.Dumps;

namespace Vigil.Tests.Dumps;

public class KeepalivedDumpsTests
{
    private static readonly VrrpDumpEntry Entry = new(
        new VrrpDumpData
        {
            Iname = "VI_1", Vrid = 51, Interface = "eth0", State = 2, WantState = 2, Version = 2,
            BasePriority = 150, EffectivePriority = 150, VipSet = true,
            Vips = ["10.77.0.100/24 dev eth0 scope global set"], TrackScripts = ["'/usr/bin/true'"],
        },
        new VrrpDumpStats { AdvertSent = 3, BecomeMaster = 1 });

    [Fact]
    public void Json_IsAnArrayOfDataAndStats_WithKeepalivedFieldNames()
    {
        using var doc = JsonDocument.Parse(KeepalivedDumps.Json([Entry]));
        var first = doc.RootElement[0];
        var data = first.GetProperty("data");
        Assert.Equal("VI_1", data.GetProperty("iname").GetString());
        Assert.Equal(2, data.GetProperty("state").GetInt32());
        Assert.Equal("eth0", data.GetProperty("ifp_ifname").GetString());
        Assert.Equal(150, data.GetProperty("effective_priority").GetInt32());
        Assert.True(data.GetProperty("vipset").GetBoolean());
        Assert.Equal(1, data.GetProperty("accept").GetInt32());
        Assert.Equal("10.77.0.100/24 dev eth0 scope global set", data.GetProperty("vips")[0].GetString());
        var stats = first.GetProperty("stats");
        Assert.Equal(3, stats.GetProperty("advert_sent").GetInt64());
        Assert.Equal(1, stats.GetProperty("become_master").GetInt64());
        Assert.Equal(0, stats.GetProperty("pri_zero_sent").GetInt64());
    }

    [Fact]
    public void Json_FieldOrder_MatchesKeepalived()
    {
        var json = KeepalivedDumps.Json([Entry]);
        // keepalived 2.2.7 starts data with iname, dont_track_primary, ... and ends with vips, track_script, auth_type.
        Assert.StartsWith("[{\"data\":{\"iname\":\"VI_1\",\"dont_track_primary\":0,\"skip_check_adv_addr\":0,\"strict_mode\":0,", json);
        Assert.Contains("\"track_script\":[\"'/usr/bin/true'\"],\"auth_type\":0},\"stats\":{\"advert_rcvd\":0,", json);
    }

    [Fact]
    public void Stats_MatchesKeepalivedLayout()
    {
        var text = KeepalivedDumps.Stats([Entry]);
        Assert.StartsWith("VRRP Instance: VI_1\n  Advertisements:\n    Received: 0\n    Sent: 3\n  Became master: 1\n", text);
        Assert.EndsWith("  Priority Zero:\n    Received: 0\n    Sent: 0\n", text);
    }

    [Fact]
    public void WriteFile_ReplacesWhole_WithMode0600()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-dump-").FullName;
        try
        {
            var path = Path.Combine(dir, "k.json");
            File.WriteAllText(path, "old content that is longer");
            KeepalivedDumps.WriteFile(path, "[]");
            Assert.Equal("[]", File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
