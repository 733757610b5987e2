using System.Diagnostics;
using Vigil.Testing;

namespace Vigil.Lab.Tests;

// Inside Vigil.Lab.*, the name Lab would mean the namespace: alias the harness class.
using Lab = Vigil.Testing.Lab;

/// <summary>The harness itself: topology, addresses, processes, captures, teardown.</summary>
public sealed class HarnessTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AddHost_TwoHosts_ReachEachOtherOverIpv4AndIpv6()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");

        Assert.Equal("10.77.0.1", a.Ipv4!.ToString());
        Assert.Equal("fd77::2", b.Ipv6!.ToString());
        Assert.True(await b.HasAddressAsync("fd77::2", "eth0"), "DAD is off, so the address is usable at once");

        var v4 = await a.ExecAsync("ping", ["-c", "1", "-W", "2", "10.77.0.2"], check: false);
        var v6 = await a.ExecAsync("ping", ["-6", "-c", "1", "-W", "2", "fd77::2"], check: false);
        Assert.True(v4.Succeeded, v4.ToString());
        Assert.True(v6.Succeeded, v6.ToString());
    }

    [Fact]
    public async Task AddHost_NamespacesAndInterfaces_NamesAreUniqueAndShort()
    {
        await using var lab = await LabFactory.CreateAsync();
        var host = await lab.AddHostAsync("client");

        Assert.StartsWith($"vlab{Environment.ProcessId}x", host.Namespace, StringComparison.Ordinal);
        var ports = await lab.RunAsync("ip", ["-n", lab.SwitchNamespace, "-o", "link"]);
        Assert.Contains("client-eth0", ports.Stdout, StringComparison.Ordinal);
        Assert.All(host.Links, l => Assert.InRange(l.SwitchPort.Length, 1, 15));
        var root = await lab.RunAsync("ip", ["-o", "link"]);
        Assert.DoesNotContain("client-eth0", root.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("br-lan", root.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_AfterProcessesAndCapture_RemovesNamespacesProcessesAndFiles()
    {
        var lab = await LabFactory.CreateAsync();
        var host = await lab.AddHostAsync("h");
        var sleeper = host.Start("sleep", "sleep", "600");
        var capture = await lab.StartCaptureAsync("icmp");
        Assert.False(sleeper.HasExited);

        await lab.DisposeAsync();

        Assert.True(sleeper.HasExited);
        Assert.True(capture.Process.HasExited);
        var list = await Shell("ip", "netns", "list");
        Assert.DoesNotContain(lab.Id, list, StringComparison.Ordinal);
        Assert.False(Directory.Exists(lab.Directory));
    }

    [Fact]
    public async Task StopAsync_ProcessIgnoringTerm_IsKilledAfterGrace()
    {
        await using var lab = await LabFactory.CreateAsync();
        var host = await lab.AddHostAsync("h");
        var stubborn = host.Start("stubborn", "sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done");
        await stubborn.WaitForOutputAsync("ready", Short);

        var watch = Stopwatch.StartNew();
        var graceful = await stubborn.StopAsync(TimeSpan.FromMilliseconds(500));

        Assert.False(graceful);
        Assert.True(stubborn.HasExited);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), Short);
    }

    [Fact]
    public async Task Kill_ProcessWithChild_KillsTheWholeTree()
    {
        await using var lab = await LabFactory.CreateAsync();
        var host = await lab.AddHostAsync("h");
        var parent = host.Start("parent", "sh", "-c", "sleep 600 & echo child $!; wait");
        var line = await parent.WaitForOutputAsync("child ", Short);
        var child = int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        await parent.KillAsync();

        await Poll.UntilAsync(() => !File.Exists($"/proc/{child}/stat") || File.ReadAllText($"/proc/{child}/stat").Contains(") Z", StringComparison.Ordinal),
            Short, $"child {child} to die");
        Assert.Equal(128 + 9, parent.ExitCode);
    }

    [Fact]
    public async Task WaitForAddress_AddressAddedLater_ReturnsAndAbsentAfterDelete()
    {
        await using var lab = await LabFactory.CreateAsync();
        var host = await lab.AddHostAsync("h");
        Assert.False(await host.HasAddressAsync("10.77.0.50"));

        var waiting = host.WaitForAddressAsync("10.77.0.50", Short, "eth0");
        await host.AddAddressAsync("10.77.0.50/24");
        await waiting;
        await host.DeleteAddressAsync("10.77.0.50/24");
        await host.WaitForAddressAbsentAsync("10.77.0.50", Short);

        var timeout = await Assert.ThrowsAsync<LabTimeoutException>(() => host.WaitForAddressAsync("10.77.0.51", TimeSpan.FromMilliseconds(300)));
        Assert.Contains("10.77.0.1/24", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAddressMonitor_AddressAddedAndDeleted_ReportsKernelEventsInOrder()
    {
        await using var lab = await LabFactory.CreateAsync();
        var host = await lab.AddHostAsync("h");
        var monitor = await host.StartAddressMonitorAsync();
        var before = DateTimeOffset.UtcNow;

        await host.AddAddressAsync("10.77.0.60/24");
        await host.AddAddressAsync("fd77::60/64");
        await host.DeleteAddressAsync("10.77.0.60/24");
        var deleted = await monitor.WaitForAsync("10.77.0.60", added: false, Short);
        var added = await monitor.WaitForAsync("10.77.0.60", added: true, Short);
        var added6 = await monitor.WaitForAsync("fd77::60", added: true, Short);

        Assert.Equal(("eth0", 24), (added.Interface, added.PrefixLength));
        Assert.Equal(64, added6.PrefixLength);
        Assert.InRange(added.Time, before - TimeSpan.FromSeconds(1), deleted.Time);
        Assert.True(added6.Time <= deleted.Time);
        Assert.DoesNotContain(monitor.Events(), e => e.Address.ToString() == "127.77.0.1");
    }

    [Fact]
    public async Task StartNginx_OnServerHost_PortOpenConnectableAndServesItsName()
    {
        await using var lab = await LabFactory.CreateAsync();
        var server = await lab.AddHostAsync("srv");
        var client = await lab.AddHostAsync("cli");
        Assert.False(await server.IsTcpListeningAsync(8080));

        var nginx = lab.StartNginx(server, 8080);
        await server.WaitForTcpListenAsync(8080, Short);
        await client.WaitForTcpConnectAsync("10.77.0.1", 8080, Short);
        Assert.False(await client.CanConnectTcpAsync("10.77.0.1", 8081));
        var v4 = await client.ExecAsync("curl", "-sS", "--max-time", "5", "http://10.77.0.1:8080/");
        var v6 = await client.ExecAsync("curl", "-sS", "--max-time", "5", "http://[fd77::1]:8080/any/path");

        Assert.Equal("srv\n", v4.Stdout);
        Assert.Equal("srv\n", v6.Stdout);
        Assert.True(await nginx.StopAsync(), "nginx exits on SIGTERM");
        Assert.False(await server.IsTcpListeningAsync(8080));
    }

    [Fact]
    public async Task SetSwitchPort_Down_HostLosesCarrierAndTraffic()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");

        await b.SetSwitchPortAsync(up: false);
        var link = await b.IpAsync("-o", "link", "show", "eth0");
        Assert.Contains("NO-CARRIER", link.Stdout, StringComparison.Ordinal);
        var ping = await a.ExecAsync("ping", ["-c", "1", "-W", "1", "10.77.0.2"], check: false);
        Assert.False(ping.Succeeded);

        await b.SetSwitchPortAsync(up: true);
        await Poll.UntilAsync(async () => (await a.ExecAsync("ping", ["-c", "1", "-W", "1", "10.77.0.2"], check: false)).Succeeded,
            Short, "ping to work again after the port came back up");
    }

    [Fact]
    public async Task StartCapture_PingBetweenHosts_PacketsDecodedAsFieldsAndJson()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        await lab.AddHostAsync("b");
        var capture = await lab.StartCaptureAsync("icmp");

        await a.ExecAsync("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.2");
        await capture.WaitForPacketsAsync("icmp.type == 0", 3, Short);
        await capture.StopAsync();

        var requests = await capture.ReadFieldsAsync("icmp.type == 8", "ip.src", "ip.dst", "ip.ttl");
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(["10.77.0.1", "10.77.0.2", "64"], r));
        using var json = await capture.ReadJsonAsync("icmp.type == 0");
        Assert.Equal(3, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task StartCapture_OnHostInterface_SeesOnlyThatHostsTraffic()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a");
        var b = await lab.AddHostAsync("b");
        var c = await lab.AddHostAsync("c");
        var onC = await c.StartCaptureAsync("icmp");

        await a.ExecAsync("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.77.0.2");
        await b.ExecAsync("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.77.0.3");
        await onC.WaitForPacketsAsync("icmp.type == 0 && ip.src == 10.77.0.3", 2, Short);
        await onC.StopAsync();

        Assert.Equal("c:eth0", onC.Device);
        Assert.Equal(4, await onC.CountAsync());
        Assert.Equal(0, await onC.CountAsync("ip.addr == 10.77.0.1"));
    }

    [Fact]
    public async Task StartVigil_StandInBinary_GetsKeepalivedFlagsInsideTheHostNamespace()
    {
        await using var lab = await LabFactory.CreateAsync();
        var host = await lab.AddHostAsync("lb1");
        // A stand-in that reports its argv and namespace, so this proves the harness whatever vigil can do today.
        var standIn = lab.WriteFile("stand-in", "sh",
            "#!/bin/sh\nif [ \"$1\" = status ]; then echo \"status $*\"; exit 0; fi\n" +
            "for a in \"$@\"; do echo \"arg $a\"; done\necho \"netns $(ip netns identify $$)\"\n" +
            "trap 'echo term; exit 0' TERM\nwhile :; do sleep 0.1; done\n");
        File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var vigil = lab.StartVigil(host, "# empty\n", ["--vrrp"], binary: standIn);
        await vigil.WaitForOutputAsync("netns ", Short);

        var lines = vigil.ReadOutput().Split('\n');
        var args = lines.Where(l => l.StartsWith("arg ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        Assert.Equal(["-n", "-l", "-D", "-f", vigil.ConfigPath, "-p", vigil.PidFile, "--control-socket", vigil.ControlSocket!, "--vrrp"], args);
        Assert.Contains($"netns {host.Namespace}", lines);
        Assert.Equal("# empty\n", File.ReadAllText(vigil.ConfigPath));
        var status = await vigil.StatusAsync(json: true);
        Assert.Equal($"status status --control-socket {vigil.ControlSocket} --json\n", status.Stdout);
        Assert.True(await vigil.StopAsync(), "the stand-in exits on SIGTERM");
        Assert.Contains("term", vigil.ReadOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSegment_SecondBridge_IsSeparateL2AndLinksGoDownAndUp()
    {
        await using var lab = await LabFactory.CreateAsync();
        var lanHost = await lab.AddHostAsync("a");
        var dmz = await lab.AddSegmentAsync("dmz");
        var router = await lab.AddHostAsync("r", dmz, "eth1", autoAddress: false);
        var server = await lab.AddHostAsync("s", dmz, autoAddress: false);
        await router.AddAddressAsync("10.77.0.201/24", "eth1");
        await server.AddAddressAsync("10.77.0.202/24");

        Assert.Equal("eth1", router.Interface);
        Assert.True((await router.ExecAsync("ping", ["-c", "1", "-W", "2", "10.77.0.202"], check: false)).Succeeded);
        Assert.False((await lanHost.ExecAsync("ping", ["-c", "1", "-W", "1", "10.77.0.202"], check: false)).Succeeded);

        await server.SetLinkAsync(up: false);
        Assert.False((await router.ExecAsync("ping", ["-c", "1", "-W", "1", "10.77.0.202"], check: false)).Succeeded);
        await server.SetLinkAsync(up: true);
        await Poll.UntilAsync(async () => (await router.ExecAsync("ping", ["-c", "1", "-W", "1", "10.77.0.202"], check: false)).Succeeded,
            Short, "ping across dmz after the link came back");
    }

    [Fact]
    public async Task LinkDirect_TwoBareHosts_PointToPointLinkWithLinkLocalAddresses()
    {
        await using var lab = await LabFactory.CreateAsync();
        var a = await lab.AddHostAsync("a", attach: false);
        var b = await lab.AddHostAsync("b", attach: false);

        await lab.LinkDirectAsync(a, "va", b, "vb");

        var peer = await b.GetLinkLocalAsync("vb");
        Assert.NotNull(peer);
        var ping = await a.ExecAsync("ping", ["-6", "-c", "1", "-W", "2", $"{peer}%va"], check: false);
        Assert.True(ping.Succeeded, ping.ToString());
        Assert.Empty(a.Links);
    }

    [Fact]
    public async Task CreateAsync_LeftoversOfDeadRun_AreSwept()
    {
        // A PID that existed a moment ago and is gone now stands for a run that died without cleaning up.
        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync(TestContext.Current.CancellationToken);
        var deadPid = gone.Id;
        var leftover = $"vlab{deadPid}x1-sw";
        var leftoverDir = Path.Combine(Path.GetTempPath(), $"vlab{deadPid}x1");
        await Shell("ip", "netns", "add", leftover);
        Directory.CreateDirectory(leftoverDir);
        try
        {
            await using var lab = await LabFactory.CreateAsync();

            Assert.DoesNotContain(leftover, await Shell("ip", "netns", "list"), StringComparison.Ordinal);
            Assert.False(Directory.Exists(leftoverDir));
        }
        finally
        {
            await Shell("sh", "-c", $"ip netns del {leftover} 2>/dev/null; rm -rf {leftoverDir}; true");
        }
    }

    private static async Task<string> Shell(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        return output;
    }
}
