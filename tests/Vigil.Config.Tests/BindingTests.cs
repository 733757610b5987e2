using System.Net;

namespace Vigil.Config.Tests;

public class BindingTests
{
    private static KeepalivedConfig Rich()
    {
        var result = TestConfigs.Load(FeatureRich.Text, TestConfigs.Options() with { CheckScriptFiles = false });
        Assert.NotNull(result.Config);
        return result.Config;
    }

    [Fact]
    public void Instance_StateMasterWithoutPriority_Gets255()
    {
        var config = TestConfigs.Clean("vrrp_instance V {\n state MASTER\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.77.0.1\n }\n}\n");
        var vi = config.VrrpInstances[0];
        Assert.Equal((VrrpState.Master, 255), (vi.State, vi.Priority));
    }

    [Fact]
    public void Instance_Defaults_AreKeepalivedsAndComeFromGlobalDefs()
    {
        var config = TestConfigs.Clean("""
            global_defs {
                vrrp_garp_master_delay 7
                vrrp_garp_master_repeat 3
                default_interface eth2
            }
            vrrp_instance V {
                virtual_router_id 1
                virtual_ipaddress {
                    10.77.0.1
                }
            }
            """);
        var vi = config.VrrpInstances[0];
        Assert.Equal(VrrpState.Backup, vi.State);
        Assert.Equal(100, vi.Priority);
        Assert.Equal(TimeSpan.FromSeconds(1), vi.AdvertInterval);
        Assert.Equal(2, vi.Version);
        Assert.Equal("eth2", vi.Interface);
        Assert.Equal(TimeSpan.FromSeconds(7), vi.GarpMasterDelay);
        Assert.Equal(3, vi.GarpMasterRepeat);
        Assert.Equal(TimeSpan.FromSeconds(7), vi.GarpLowerPrioDelay);
        Assert.Equal(3, vi.GarpLowerPrioRepeat);
        Assert.Equal(3, vi.DownTimerAdverts);
        Assert.True(vi.Accept);
        Assert.Equal(32, vi.VirtualIpAddresses[0].PrefixLength);
    }

    [Fact]
    public void Instance_PriorityWithoutState_255MeansMaster()
    {
        var config = TestConfigs.Clean("vrrp_instance V {\n priority 255\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.77.0.1\n }\n}\n");
        Assert.Equal(VrrpState.Master, config.VrrpInstances[0].State);
    }

    [Fact]
    public void Instance_EveryKeywordGroup_IsBound()
    {
        var config = Rich();
        var vi = config.VrrpInstances.Single(i => i.Name == "VI_1");
        Assert.Equal(3, vi.Version);
        Assert.Equal(TimeSpan.FromSeconds(0.5), vi.AdvertInterval);
        Assert.False(vi.Nopreempt);
        var vip = vi.VirtualIpAddresses[0];
        Assert.Equal((IPAddress.Parse("10.77.0.10"), 24, "eth1", "eth1:vip", "global", IPAddress.Parse("10.77.0.255")),
            (vip.Address, vip.PrefixLength, vip.Device, vip.Label, vip.Scope, vip.Broadcast));
        Assert.True(vi.VirtualIpAddresses[1].NoTrack);
        Assert.Equal(IPAddress.Parse("fd77::10"), vi.VirtualIpAddressesExcluded[0].Address);
        Assert.Equal(3, vi.VirtualRoutes.Count);
        Assert.Equal(IPAddress.Parse("10.77.0.10"), vi.VirtualRoutes[1].Source);
        Assert.Equal("5", vi.VirtualRoutes[1].Table);
        Assert.Equal(2, vi.VirtualRoutes[2].NextHops.Count);
        Assert.Equal(200, vi.VirtualRules[0].Preference);
        Assert.Equal(new IPNetwork(IPAddress.Parse("10.90.0.0"), 16), vi.VirtualRules[1].To);
        Assert.Equal(new UnicastPeerConfig(IPAddress.Parse("10.77.0.2"), 250, 255), vi.UnicastPeers[0]);
        Assert.Equal(IPAddress.Parse("10.77.0.1"), vi.UnicastSrcIp);
        Assert.Equal([new TrackReferenceConfig("eth1", -30, false), new TrackReferenceConfig("eth2", null, false)], vi.TrackInterfaces);
        Assert.Equal(new TrackReferenceConfig("chk_web", 5, false), vi.TrackScripts[0]);
        Assert.Equal(new TrackReferenceConfig("nginx", 3, true), vi.TrackProcesses[0]);
        Assert.Equal("bfd1", vi.TrackBfds[0].Name);
        Assert.Equal("tf1", vi.TrackFiles[0].Name);
        Assert.Equal(TimeSpan.FromSeconds(60), vi.GarpMasterRefresh);
        Assert.Equal(1, vi.GarpLowerPrioRepeat);
        Assert.Equal(TimeSpan.FromSeconds(3), vi.GarpMasterDelay);
        Assert.Equal("/usr/local/bin/notify master", vi.NotifyMaster);
        Assert.Equal("", vi.NotifyDeleted);
        Assert.True(vi.SmtpAlert);
        Assert.Equal(2, vi.Debug);

        var vi2 = config.VrrpInstances.Single(i => i.Name == "VI_2");
        Assert.Equal(new AuthenticationConfig(VrrpAuthType.Pass, "longpass"), vi2.Authentication);
        Assert.Equal(TimeSpan.FromSeconds(10), vi2.PreemptDelay);
        Assert.False(vi2.Accept);
        Assert.Equal("vrrp.52", vi2.UseVmac?.Name);
    }

    [Fact]
    public void GlobalDefs_TypedAndPassThroughKeywords_AreBound()
    {
        var g = Rich().GlobalDefs;
        Assert.Equal("lb1", g.RouterId);
        Assert.Equal(["ops@example.com", "noc@example.com"], g.NotificationEmail);
        Assert.Equal(("10.77.0.25", 2525), (g.SmtpServer, g.SmtpPort));
        Assert.Equal(TimeSpan.FromSeconds(12), g.SmtpConnectTimeout);
        Assert.Equal(IPAddress.Parse("224.0.0.19"), g.VrrpMcastGroup4);
        Assert.Equal(TimeSpan.FromMilliseconds(1), g.VrrpGarpInterval);
        Assert.Equal(("nobody", "nogroup"), (g.ScriptUser, g.ScriptGroup));
        Assert.Equal(new LvsSyncDaemonConfig("eth0", "VI_1", 9, null, 8849, null, null), g.LvsSyncDaemon);
        Assert.Equal(new NotifyFifoConfig("/run/vigil.fifo", "root", null, "/usr/bin/logger fifo"), g.VrrpNotifyFifo);
        Assert.Contains(new ConfigSetting("umask", EquatableArray.Create("022")), g.Other);
        var root = Rich().Root;
        Assert.Equal(("blue", true, TimeSpan.FromSeconds(7)), (root.NetNamespace, root.UsePidDir, root.ChildWaitTime));
    }

    [Fact]
    public void TrackingBlocks_AreBound()
    {
        var config = Rich();
        var script = config.VrrpScripts.Single();
        Assert.Equal(("/usr/local/bin/check web", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), -20, true, 3, 2, "nobody", true),
            (script.Script, script.Interval, script.Timeout, script.Weight, script.WeightReverse, script.Rise, script.Fall, script.User, script.InitFail));
        var file = config.TrackFiles.Single();
        Assert.Equal(("/run/prio", 5, true, true), (file.File, file.Weight, file.InitFile, file.InitOverwrite));
        var process = config.TrackProcesses.Single();
        Assert.Equal(("nginx", "partial", 2, 4, TimeSpan.FromSeconds(1.5)), (process.Process, process.ParamMatch, process.Quorum, process.QuorumMax, process.Delay));
        Assert.Equal(["-g", "daemon"], process.Parameters);
        var bfd = config.BfdInstances.Single(b => b.Name == "bfd1");
        Assert.Equal((TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10), 3, -10, true), (bfd.MinRx, bfd.MinTx, bfd.Multiplier, bfd.Weight, bfd.Vrrp));
        var garp = config.GarpGroups.Single();
        Assert.Equal(["eth0", "eth1"], garp.Interfaces);
        var sync = config.SyncGroups.Single();
        Assert.Equal(["VI_1", "VI_2"], sync.Group);
        Assert.Equal("/usr/local/bin/sg master", sync.NotifyMaster);
        Assert.Equal(["VI_1"], config.TrackGroups.Single().Instances);
        Assert.Equal(new LinkbeatInterfaceConfig("eth0", "MII"), config.LinkbeatInterfaces[0]);
        Assert.Equal(new InterfaceDelayConfig("eth1", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)), config.InterfaceUpDownDelays[0]);
        Assert.Equal("eth1:st", config.StaticAddresses[0].Label);
        Assert.Equal("blackhole", config.StaticRoutes[1].Type);
        Assert.Equal(100, config.StaticRules[0].Preference);
        Assert.Equal("/etc/ssl/ca.pem", config.Ssl[0].Ca);
    }

    [Fact]
    public void VirtualServer_DefaultsAndInheritance_FollowKeepalived()
    {
        var config = Rich();
        var vs = config.VirtualServers[0];
        Assert.Equal((LvsProtocol.Tcp, "rr", LvsMethod.Dr, TimeSpan.FromSeconds(360)), (vs.Protocol, vs.Scheduler, vs.Method, vs.PersistenceTimeout));
        Assert.Equal(new SorryServerConfig(IPAddress.Parse("10.77.0.99"), 80), vs.SorryServer);
        var rs1 = vs.RealServers[0];
        Assert.Equal((3, LvsMethod.Dr, TimeSpan.FromSeconds(10), 4), (rs1.Weight, rs1.Method, rs1.DelayLoop, rs1.Retry));
        var http = Assert.IsType<HttpCheckConfig>(rs1.Checkers[0]);
        Assert.Equal((TimeSpan.FromSeconds(3), 4, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), "1.1", "www.example.com"),
            (http.ConnectTimeout, http.Retry, http.DelayBeforeRetry, http.DelayLoop, http.Warmup, http.HttpProtocol, http.Virtualhost));
        Assert.Equal("0123456789abcdef0123456789abcdef", http.Urls[0].Digest);
        Assert.Equal([new StatusCodeRange(200, 200), new StatusCodeRange(300, 302)], http.Urls[0].StatusCodes);
        Assert.Equal([new StatusCodeRange(200, 299)], http.Urls[1].StatusCodes);
        var tcp = Assert.IsType<TcpCheckConfig>(rs1.Checkers[1]);
        Assert.Equal((81, IPAddress.Parse("10.77.0.1"), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), (tcp.ConnectPort, tcp.BindTo, tcp.ConnectTimeout, tcp.DelayBeforeRetry));

        var rs2 = vs.RealServers[1];
        Assert.True(rs2.InhibitOnFailure);
        var misc = Assert.IsType<MiscCheckConfig>(rs2.Checkers[0]);
        Assert.Equal(("/usr/local/bin/check rs2", true, TimeSpan.FromSeconds(10), 4), (misc.Path, misc.Dynamic, misc.Timeout, misc.Retry));
        Assert.Equal("me.example.com", Assert.IsType<SmtpCheckConfig>(rs2.Checkers[1]).HeloName);
        var dns = Assert.IsType<DnsCheckConfig>(rs2.Checkers[2]);
        Assert.Equal(("A", "example.com", TimeSpan.FromSeconds(10)), (dns.Type, dns.Name, dns.DelayBeforeRetry));
        Assert.IsType<PingCheckConfig>(rs2.Checkers[3]);
        var udp = Assert.IsType<UdpCheckConfig>(rs2.Checkers[4]);
        Assert.Equal(("0a0b", "0axx", 255), (udp.Payload, udp.RequireReply, udp.MaxReplyLength));
        Assert.Equal(("tf1", 2), (Assert.IsType<FileCheckConfig>(rs2.Checkers[5]).TrackFile, ((FileCheckConfig)rs2.Checkers[5]).Weight));
        Assert.Equal("bfd2", Assert.IsType<BfdCheckConfig>(rs2.Checkers[6]).Name);
        var ssl = Assert.IsType<HttpCheckConfig>(rs2.Checkers[7]);
        Assert.True(ssl.UseSsl && ssl.EnableSni);

        Assert.Equal(7, config.VirtualServers[1].Fwmark);
        var group = config.VirtualServers[2];
        Assert.Equal(("VSG1", "sh", LvsMethod.Tun), (group.Group, group.Scheduler, group.Method));
        Assert.Equal(["sh-port"], group.SchedulerFlags);
        Assert.Equal(new TunnelConfig("gue", 6080, "csum"), group.Tunnel);
        var entries = config.VirtualServerGroups[0].Entries;
        Assert.Equal(new VirtualServerGroupEntryConfig(IPAddress.Parse("10.77.0.101"), IPAddress.Parse("10.77.0.105"), 8080, null, null), entries[1]);
        Assert.Equal(7, entries[2].Fwmark);
    }

    [Fact]
    public void Checkers_WithoutAnyRetrySettings_UsePerTypeDefaults()
    {
        var config = TestConfigs.Clean("""
            virtual_server 10.77.0.1 53 {
                protocol UDP
                lb_algo rr
                lb_kind NAT
                delay_loop 30
                real_server 10.77.0.2 53 {
                    DNS_CHECK {
                    }
                    TCP_CHECK {
                    }
                    MISC_CHECK {
                        misc_path /bin/true
                    }
                    HTTP_GET {
                        url {
                            path /
                        }
                    }
                }
            }
            """);
        var checkers = config.VirtualServers[0].RealServers[0].Checkers;
        Assert.Equal([3, 1, 0, 1], checkers.Select(c => c.Retry));
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)], checkers.Select(c => c.DelayBeforeRetry));
        Assert.All(checkers, c => Assert.Equal(TimeSpan.FromSeconds(30), c.Warmup));
        Assert.Equal(TimeSpan.FromSeconds(30), ((MiscCheckConfig)checkers[2]).Timeout);
    }

    [Fact]
    public void VirtualServer_KeywordsAfterRealServers_StillReachThem()
    {
        var config = TestConfigs.Clean("""
            virtual_server 10.77.0.1 80 {
                real_server 10.77.0.2 {
                    TCP_CHECK {
                    }
                }
                protocol TCP
                lb_algo rr
                lb_kind NAT
                delay_loop 7
            }
            """);
        var rs = config.VirtualServers[0].RealServers[0];
        Assert.Equal((80, TimeSpan.FromSeconds(7)), (rs.Port, rs.Checkers[0].DelayLoop));
    }

    [Fact]
    public void Model_EqualConfigsAtDifferentLines_AreEqualRecords()
    {
        var a = TestConfigs.Clean(TestConfigs.Instance());
        var b = TestConfigs.Clean("\n\n! moved\n" + TestConfigs.Instance());
        Assert.Equal(a, b);
        var c = TestConfigs.Clean(TestConfigs.Instance().Replace("priority 100", "priority 101", StringComparison.Ordinal));
        Assert.NotEqual(a, c);
    }
}

public class VigilDataplaneKeywordTests
{
    [Theory]
    [InlineData("ipvs", "ipvs")]
    [InlineData("NFTABLES", "nftables")]
    [InlineData("auto", "auto")]
    public void VigilDataplane_KnownValue_IsBoundLowerCase(string written, string expected)
    {
        var config = TestConfigs.Clean($"global_defs {{\n vigil_dataplane {written}\n}}\n");
        Assert.Equal(expected, config.GlobalDefs.VigilDataplane);
    }

    [Fact]
    public void VigilDataplane_UnknownValue_IsAnErrorWithFileAndLine()
    {
        var result = TestConfigs.Load("global_defs {\n vigil_dataplane xdp\n}\n");
        var error = Assert.Single(result.Diagnostics, d => d.Severity == ConfigSeverity.Error);
        Assert.Equal(2, error.Line);
        Assert.Contains("expected auto, ipvs or nftables", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Config?.GlobalDefs.VigilDataplane);
    }

    [Fact]
    public void VigilDataplane_Dump_RoundTrips()
    {
        var config = TestConfigs.Clean("global_defs {\n vigil_dataplane nftables\n}\n");
        var again = TestConfigs.Clean(ConfigDumper.Dump(config));
        Assert.Equal("nftables", again.GlobalDefs.VigilDataplane);
    }
}

public class DumpQuotingTests
{
    [Theory]
    [InlineData("~SEQx(i,0")]
    [InlineData("@lb1")]
    [InlineData("include")]
    [InlineData("$X=1")]
    public void Dump_WordThatLooksLikeALoopOrConditional_IsQuotedAndRoundTrips(string email)
    {
        // Found by the fuzz test (seed 8Tt-WXPOXeG1): an email entry "~SEQx(i,0" dumped on its own line became a loop.
        var config = TestConfigs.Load($"global_defs {{\n notification_email {{ ac \"{email}\" }}\n}}\n").Config!;
        Assert.Contains(email, config.GlobalDefs.NotificationEmail);
        var again = TestConfigs.Load(ConfigDumper.Dump(config));
        Assert.Empty(again.Diagnostics);
        Assert.Equal(config, again.Config);
    }
}

public class PersistenceGranularityTests
{
    [Fact]
    public void Granularity_PrefixLengthForIpv6_IsTheEquivalentMaskAndDumpsAsThePrefix()
    {
        var config = TestConfigs.Clean("virtual_server fd77::100 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n persistence_timeout 60\n persistence_granularity 64\n real_server fd77::2 80 {\n }\n}\n");
        Assert.Equal(System.Net.IPAddress.Parse("ffff:ffff:ffff:ffff::"), config.VirtualServers[0].PersistenceGranularity);
        var dump = ConfigDumper.Dump(config);
        Assert.Contains("persistence_granularity 64", dump, StringComparison.Ordinal);
        Assert.Equal(config, TestConfigs.Clean(dump));
    }

    [Fact]
    public void Granularity_NetmaskForIpv4_StaysAMask()
    {
        var config = TestConfigs.Clean("virtual_server 10.77.0.100 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n persistence_timeout 60\n persistence_granularity 255.255.255.0\n real_server 10.77.0.2 80 {\n }\n}\n");
        Assert.Equal(System.Net.IPAddress.Parse("255.255.255.0"), config.VirtualServers[0].PersistenceGranularity);
        Assert.Contains("persistence_granularity 255.255.255.0", ConfigDumper.Dump(config), StringComparison.Ordinal);
    }

    [Fact]
    public void Granularity_PrefixOutOfRange_IsAnErrorOnItsLine()
    {
        var result = TestConfigs.Load("virtual_server fd77::100 80 {\n lb_algo rr\n persistence_granularity 129\n real_server fd77::2 80 {\n }\n}\n");
        var error = Assert.Single(result.Diagnostics, d => d.Severity == ConfigSeverity.Error);
        Assert.Equal(3, error.Line);
    }
}
