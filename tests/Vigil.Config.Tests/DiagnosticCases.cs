namespace Vigil.Config.Tests;

/// <summary>Small configs with one problem each, the exit code keepalived 2.2.7 `-t` gives them (observed in
/// a namespace with eth0..eth2), and the diagnostic vigil must give (message fragment and line).</summary>
public static class DiagnosticCases
{
    private const string Vip = "virtual_ipaddress {\n10.77.0.1\n}\n";

    public sealed record Case(string Name, string Text, int ExitCode, string? Fragment, int Line, ConfigSeverity Severity = ConfigSeverity.Warning)
    {
        public override string ToString() => Name;
    }

    public static readonly Case[] All =
    [
        new("clean", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 1\n {Vip}}}\n", 0, null, 0),
        new("empty", "", 0, null, 0),
        new("unknown root keyword", "foo_bar 1\n", 5, "Unknown keyword 'foo_bar'", 1),
        new("unknown instance keyword", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 1\n bogus 3\n {Vip}}}\n", 5, "Unknown keyword 'bogus'", 4),
        new("vrid out of range", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 300\n {Vip}}}\n", 5, "outside range [1, 255]", 3, ConfigSeverity.Error),
        new("vrid missing", $"vrrp_instance V {{\n interface eth0\n {Vip}}}\n", 5, "the virtual router id must be set", 1, ConfigSeverity.Error),
        new("priority zero", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n priority 0\n {Vip}}}\n", 5, "Priority not valid", 4, ConfigSeverity.Error),
        new("advert_int too big", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n advert_int 300\n {Vip}}}\n", 5, "Advert interval (300) not valid", 4, ConfigSeverity.Error),
        new("advert_int fraction v2", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n advert_int 0.5\n {Vip}}}\n", 5, "must be an integer. rounding", 1),
        new("advert_int fraction v3", $"vrrp_instance V {{\n interface eth0\n version 3\n virtual_router_id 3\n advert_int 0.5\n {Vip}}}\n", 0, null, 0),
        new("missing interface", $"vrrp_instance V {{\n interface eth7\n virtual_router_id 3\n {Vip}}}\n", 5, "interface eth7 for vrrp_instance V doesn't exist", 1),
        new("missing tracked interface", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n track_interface {{\n eth9\n }}\n {Vip}}}\n", 5, "tracked interface eth9 doesn't exist", 5),
        new("invalid vip", "vrrp_instance V {\n interface eth0\n virtual_router_id 3\n virtual_ipaddress {\n10.0.0.300\n}\n}\n", 5, "invalid IP 10.0.0.300", 5, ConfigSeverity.Error),
        new("no vip", "vrrp_instance V {\n interface eth0\n virtual_router_id 3\n}\n", 5, "No VIP specified", 1),
        new("mixed families", "vrrp_instance V {\n interface eth0\n virtual_router_id 3\n virtual_ipaddress {\n10.0.0.3\nfe80::1\n}\n}\n", 5, "address family must match", 6),
        new("nopreempt with master", $"vrrp_instance V {{\n interface eth0\n state MASTER\n nopreempt\n virtual_router_id 3\n {Vip}}}\n", 5, "nopreempt is incompatible with priority 255", 1),
        new("ah with master below 255", $"vrrp_instance V {{\n interface eth0\n state MASTER\n priority 100\n virtual_router_id 3\n authentication {{\n auth_type AH\n auth_pass x\n}}\n {Vip}}}\n", 5, "incompatible with AH authentication", 1),
        new("strict with authentication", $"global_defs {{\n vrrp_strict\n}}\nvrrp_instance V {{\n interface eth0\n virtual_router_id 3\n authentication {{\n auth_type PASS\n auth_pass x\n}}\n {Vip}}}\n", 5, "Strict mode does not support authentication", 4),
        new("duplicate vrid", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n {Vip}}}\nvrrp_instance W {{\n interface eth0\n virtual_router_id 3\n virtual_ipaddress {{\n10.77.0.2\n}}\n}}\n", 5, "V and W both use VRID 3", 8, ConfigSeverity.Error),
        new("track script missing", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n track_script {{\n nosuch\n}}\n {Vip}}}\n", 5, "track script nosuch not found", 5),
        new("vrrp_script without script", "vrrp_script s {\n interval 2\n}\n", 5, "No script set for vrrp_script s", 1),
        new("vrrp_script file missing", $"vrrp_script s {{\n script \"/nonexistent/x.sh\"\n}}\nvrrp_instance V {{\n interface eth0\n virtual_router_id 3\n track_script {{\n s\n}}\n {Vip}}}\n", 5, "Disabling track script s", 1),
        new("script without script security", $"vrrp_script s {{\n script \"/bin/true\"\n}}\nvrrp_instance V {{\n interface eth0\n virtual_router_id 3\n track_script {{\n s\n}}\n {Vip}}}\n", 6, "SECURITY VIOLATION", 0),
        new("notify script without script security", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n notify_master \"/bin/true\"\n {Vip}}}\n", 6, "SECURITY VIOLATION", 0),
        new("notify script missing", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n notify_master \"/nonexistent/n.sh\"\n {Vip}}}\n", 0, null, 0),
        new("garp interval zero", "global_defs {\n vrrp_garp_interval 0\n}\n", 5, "outside range [0.000001, 4294.967295]", 2, ConfigSeverity.Error),
        new("sync group member missing", $"vrrp_sync_group G {{\n group {{\n V\n X\n }}\n}}\nvrrp_instance V {{\n interface eth0\n virtual_router_id 3\n {Vip}}}\n", 5, "Virtual router X specified in sync group G doesn't exist", 1),
        new("sync group without group block", $"vrrp_sync_group G {{\n V\n}}\nvrrp_instance V {{\n interface eth0\n virtual_router_id 3\n {Vip}}}\n", 5, "Unknown keyword 'V'", 2),
        new("virtual server without protocol", "virtual_server 10.77.0.1 80 {\n real_server 10.77.0.2 80 {\n TCP_CHECK {\n}\n}\n}\n", 5, "no protocol set - defaulting to UDP", 1),
        new("virtual server without real servers", "virtual_server 10.77.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n}\n", 5, "has no real servers", 1),
        new("virtual server clean", "virtual_server 10.77.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.77.0.2 80 {\n TCP_CHECK {\n}\n}\n}\n", 0, null, 0),
        new("fwmark with protocol", "virtual_server fwmark 1 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.77.0.2 80 {\n TCP_CHECK {\n}\n}\n}\n", 5, "protocol specified for fwmark", 1),
        new("invalid scheduler", "virtual_server 10.77.0.1 80 {\n protocol TCP\n lb_algo nope\n lb_kind NAT\n real_server 10.77.0.2 80 {\n TCP_CHECK {\n}\n}\n}\n", 5, "invalid scheduler 'nope'", 3, ConfigSeverity.Error),
        new("rule without preference", "static_rules {\n from 10.77.0.0/24 table 1\n}\n", 5, "setting to 16384", 2),
        new("invalid rule address", "static_rules {\n to 192.168.100./24 table 1 preference 5\n}\n", 5, "Invalid rule to address", 2, ConfigSeverity.Error),
        new("virtual route without interface", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n {Vip} virtual_routes {{\n 10.78.0.0/16 via 10.77.0.254\n }}\n}}\n", 5, "cannot track route 10.78.0.0/16 with no interface", 8),
        new("static route on missing interface", "static_routes {\n 10.78.0.0/16 dev eth3\n}\n", 5, "interface eth3 for VROUTE nexthop doesn't exist", 2),
        new("dr real server port differs", "virtual_server 10.77.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n real_server 10.77.0.2 81 {\n TCP_CHECK {\n}\n}\n}\n", 5, "ports don't match - resetting", 5),
        new("nat real server port differs", "virtual_server 10.77.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.77.0.2 81 {\n TCP_CHECK {\n}\n}\n}\n", 0, null, 0),
        new("dr sorry server port differs", "virtual_server 10.77.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n sorry_server 10.77.0.9 8080\n real_server 10.77.0.2 80 {\n TCP_CHECK {\n}\n}\n}\n", 5, "sorry server ports don't match", 1),
        new("dr fwmark real server port", "virtual_server fwmark 3 {\n lb_algo rr\n lb_kind DR\n real_server 10.77.0.2 81 {\n TCP_CHECK {\n}\n}\n}\n", 5, "has port specified - clearing", 4),
        new("bfd checker for vrrp-only instance", "bfd_instance b1 {\n neighbor_ip 10.77.0.9\n vrrp\n}\nvirtual_server 10.77.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.77.0.2 80 {\n BFD_CHECK {\n name b1\n}\n}\n}\n", 5, "BFD_CHECK - BFD b1 not configured", 10),
        new("bfd checker clean", "bfd_instance b1 {\n neighbor_ip 10.77.0.9\n}\nvirtual_server 10.77.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.77.0.2 80 {\n BFD_CHECK {\n name b1\n}\n}\n}\n", 0, null, 0),
        new("missing include", "include /nonexistent/foo.conf\n", 0, "Config files missing", 1, ConfigSeverity.Note),
        new("missing close brace", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n {Vip}", 5, "missing '}'", 1, ConfigSeverity.Error),
        new("extra close brace", $"vrrp_instance V {{\n interface eth0\n virtual_router_id 3\n {Vip}}}\n}}\n", 5, "Extra '}' found", 8, ConfigSeverity.Error),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }
        return data;
    }

    public static Case Get(string name) => All.Single(c => c.Name == name);
}

public sealed class DiagnosticTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vigil-diag-").FullName;

    private string Write(DiagnosticCases.Case c)
    {
        var path = Path.Combine(_directory, c.Name.Replace(' ', '_') + ".conf");
        File.WriteAllText(path, c.Text);
        return path;
    }

    [Theory]
    [MemberData(nameof(DiagnosticCases.Names), MemberType = typeof(DiagnosticCases))]
    public void ConfigTest_OnOneProblem_GivesKeepalivedsExitCodeAndANamedDiagnostic(string name)
    {
        var c = DiagnosticCases.Get(name);
        var path = Write(c);
        var output = new StringWriter();
        var code = ConfigTest.Run(path, new ConfigLoadOptions { Interfaces = TestConfigs.Host }, output);
        Assert.True(c.ExitCode == code, $"exit {code}, expected {c.ExitCode}:\n{output}");
        var result = ConfigLoader.Load(path, new ConfigLoadOptions { Interfaces = TestConfigs.Host });
        if (c.Fragment is null)
        {
            Assert.Empty(result.Diagnostics);
            return;
        }
        var match = result.Diagnostics.FirstOrDefault(d => d.Message.Contains(c.Fragment, StringComparison.Ordinal));
        Assert.True(match is not null, $"no diagnostic contains '{c.Fragment}':\n{output}");
        Assert.Equal(c.Severity, match.Severity);
        if (c.Line > 0)
        {
            Assert.Equal((path, c.Line), (match.File, match.Line));
            var severity = c.Severity switch { ConfigSeverity.Error => "error", ConfigSeverity.Warning => "warning", _ => "note" };
            Assert.Contains($"{path}:{c.Line}: {severity}: ", output.ToString(), StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

public sealed class DiagnosticKeepalivedTests(CorpusFixture fixture) : IClassFixture<CorpusFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vigil-diagk-").FullName;

    [Theory]
    [MemberData(nameof(DiagnosticCases.Names), MemberType = typeof(DiagnosticCases))]
    public void ExpectedExitCode_IsWhatKeepalivedReallyReturns(string name)
    {
        Assert.True(fixture.SkipReason is null, fixture.SkipReason);
        var c = DiagnosticCases.Get(name);
        var path = Path.Combine(_directory, "case.conf");
        File.WriteAllText(path, c.Text);
        var (code, output) = fixture.KeepalivedTest(path);
        Assert.True(c.ExitCode == code, $"keepalived -t exit {code}, table says {c.ExitCode}:\n{output}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
