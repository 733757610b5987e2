using Vigil.Testing.Uml;

namespace Vigil.Lab.Tests.Ipvs;

/// <summary>
/// lvs_sync_daemon following a VRRP instance: alone on d0 the instance goes BACKUP -> MASTER after the
/// master-down interval; the backup sync daemon runs first, then the master one; stop ends it. vigil's
/// <c>ipvsadm -L --daemon</c> must read as keepalived's at each step.
/// </summary>
public sealed class IpvsSyncDaemonTests
{
    private const string Config = """
        global_defs {
            router_id uml
            lvs_sync_daemon d0 VI_1 id 5 maxlen 1400 port 8850 ttl 3 group 224.0.0.82
        }
        vrrp_instance VI_1 {
            state BACKUP
            interface d0
            virtual_router_id 51
            priority 100
            advert_int 1
            virtual_ipaddress {
                10.77.0.100/24
            }
        }

        """;

    private static string Round(string name, string start) =>
        start
        + UmlScript.Wait("sh -c 'ipvsadm -L --daemon | grep -q backup'", UmlLab.Settle)
        + UmlScript.Save($"{name}-backup.txt", "ipvsadm", "-L", "--daemon")
        + UmlScript.Wait("sh -c 'ipvsadm -L --daemon | grep -q master'", UmlLab.Settle)
        + UmlScript.Save($"{name}-master.txt", "ipvsadm", "-L", "--daemon")
        + UmlScript.Stop(name)
        + UmlScript.Save($"{name}-stopped.txt", "ipvsadm", "-L", "--daemon");

    [Fact]
    public async Task SyncDaemon_InstanceBecomesMaster_SameDaemonsAsKeepalived()
    {
        var body = Round("keepalived", UmlLab.StartKeepalived("keepalived", "vs.conf"))
            + Round("vigil", UmlLab.StartVigil("vigil", "vs.conf"));

        var uml = await UmlLab.BootAsync(body, new Dictionary<string, string> { ["vs.conf"] = Config });

        Assert.Equal("backup sync daemon (mcast=d0, syncid=5, maxlen=1400, group=224.0.0.82, port=8850, ttl=3)", uml.File("keepalived-backup.txt").Trim());
        Assert.Equal(uml.File("keepalived-backup.txt"), uml.File("vigil-backup.txt"));
        Assert.Equal(uml.File("keepalived-master.txt"), uml.File("vigil-master.txt"));
        Assert.StartsWith("master sync daemon (mcast=d0, syncid=5,", uml.File("vigil-master.txt"), StringComparison.Ordinal);
        Assert.Equal("", uml.File("keepalived-stopped.txt").Trim());
        Assert.Equal("", uml.File("vigil-stopped.txt").Trim());
    }
}
