namespace Vigil.Config.Tests;

public class PreprocessorTests
{
    private const string Main = "/etc/keepalived/keepalived.conf";

    [Fact]
    public void Load_CommentsWithHashAndBang_AreIgnored()
    {
        var config = TestConfigs.Clean("""
            ! a comment
            # another
            global_defs {   # trailing
               router_id r1 ! also trailing
            }
            """);
        Assert.Equal("r1", config.GlobalDefs.RouterId);
    }

    [Fact]
    public void Load_QuotedStringWithEscapesAndComment_KeepsOneToken()
    {
        var config = TestConfigs.Clean("""
            global_defs {
                enable_script_security
            }
            vrrp_script chk {
                script "/bin/echo \"a # b\" ! c"
            }
            """, TestConfigs.Options() with { CheckScriptFiles = false } );
        Assert.Equal("/bin/echo \"a # b\" ! c", config.VrrpScripts[0].Script);
    }

    [Fact]
    public void Load_BraceOnNextLineAndGluedBrace_OpenBlocks()
    {
        var config = TestConfigs.Clean("""
            global_defs
            {
                router_id r2
            }
            vrrp_instance VI_2{
                interface eth0
                virtual_router_id 2
                virtual_ipaddress
                {
                    10.77.0.2
                }
            }
            """);
        Assert.Equal("r2", config.GlobalDefs.RouterId);
        Assert.Single(config.VrrpInstances[0].VirtualIpAddresses);
    }

    [Fact]
    public void Load_IncludeGlobRelativeToIncludingFile_ReadsMatchesInOrderWithTheirLines()
    {
        var fs = new InMemoryFileSystem()
            .Add(Main, "include conf.d/*.conf\n")
            .Add("/etc/keepalived/conf.d/b.conf", TestConfigs.Instance("VI_B", 2))
            .Add("/etc/keepalived/conf.d/a.conf", "\n" + TestConfigs.Instance("VI_A", 1) + "bogus_keyword\n")
            .Add("/etc/keepalived/conf.d/c.txt", "not included");
        var result = ConfigLoader.Load(Main, TestConfigs.Options(fs));
        Assert.Equal(["VI_A", "VI_B"], result.Config!.VrrpInstances.Select(i => i.Name));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("/etc/keepalived/conf.d/a.conf", diagnostic.File);
        Assert.Equal(12, diagnostic.Line);
        Assert.Contains("Unknown keyword 'bogus_keyword'", diagnostic.Message);
    }

    [Fact]
    public void Load_IncludeBraces_ExpandsAlternatives()
    {
        var fs = new InMemoryFileSystem()
            .Add(Main, "include {x,y}.conf\n")
            .Add("/etc/keepalived/x.conf", TestConfigs.Instance("X", 1))
            .Add("/etc/keepalived/y.conf", TestConfigs.Instance("Y", 2));
        var config = ConfigLoader.Load(Main, TestConfigs.Options(fs)).Config!;
        Assert.Equal(["X", "Y"], config.VrrpInstances.Select(i => i.Name));
    }

    [Fact]
    public void Load_NestedIncludeIsRelativeToItsOwnFolder()
    {
        var fs = new InMemoryFileSystem()
            .Add(Main, "include sub/one.conf\n")
            .Add("/etc/keepalived/sub/one.conf", "include two.conf\n")
            .Add("/etc/keepalived/sub/two.conf", TestConfigs.Instance("TWO", 2));
        Assert.Equal("TWO", ConfigLoader.Load(Main, TestConfigs.Options(fs)).Config!.VrrpInstances[0].Name);
    }

    [Fact]
    public void Load_IncludeLoop_IsAnErrorNamingTheLine()
    {
        var fs = new InMemoryFileSystem()
            .Add(Main, "include a.conf\n")
            .Add("/etc/keepalived/a.conf", "include b.conf\n")
            .Add("/etc/keepalived/b.conf", "\ninclude a.conf\n");
        var result = ConfigLoader.Load(Main, TestConfigs.Options(fs));
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(("/etc/keepalived/b.conf", 2, ConfigSeverity.Error), (error.File, error.Line, error.Severity));
        Assert.Contains("include loop", error.Message);
    }

    [Fact]
    public void Load_PlainIncludeOfMissingFile_IsANoteAndTestPasses()
    {
        var result = TestConfigs.Load("include /nonexistent/x.conf\n");
        var note = Assert.Single(result.Diagnostics);
        Assert.Equal(ConfigSeverity.Note, note.Severity);
        Assert.Equal(ConfigTest.ExitOk, ConfigTest.ExitCodeOf(result));
    }

    [Theory]
    [InlineData("includem /nonexistent/x.conf")]
    [InlineData("includew /nonexistent/*.conf")]
    [InlineData("includeb /etc/keepalived/{nope,none}.conf")]
    [InlineData("includea /nonexistent/x.conf")]
    public void Load_CheckingIncludeVariantsWithoutMatch_AreErrors(string line)
    {
        var result = TestConfigs.Load(line + "\n");
        Assert.Contains(result.Diagnostics, d => d.Severity == ConfigSeverity.Error && d.Line == 1);
        Assert.Equal(ConfigTest.ExitConfigProblems, ConfigTest.ExitCodeOf(result));
    }

    [Fact]
    public void Load_Parameters_SubstituteBothSpellingsAndMultiLineDefinitions()
    {
        var config = TestConfigs.Clean("""
            $IF=eth1
            $VIPS=10.77.0.5 \
                  10.77.0.6
            vrrp_instance VI_1 {
                interface $IF
                virtual_router_id 8
                virtual_ipaddress {
                    $VIPS
                }
            }
            $ID=9
            vrrp_instance VI_2 {
                interface ${IF}
                virtual_router_id ${ID}
                virtual_ipaddress {
                    10.77.0.7
                }
            }
            """);
        Assert.Equal("eth1", config.VrrpInstances[0].Interface);
        Assert.Equal(2, config.VrrpInstances[0].VirtualIpAddresses.Count);
        Assert.Equal(9, config.VrrpInstances[1].VirtualRouterId);
    }

    [Fact]
    public void Load_RecursiveParameter_StopsWithAnError()
    {
        var result = TestConfigs.Load("$A=$A$A\nglobal_defs {\n router_id $A\n}\n");
        Assert.Contains(result.Diagnostics, d => d.Severity == ConfigSeverity.Error && d.Line == 3 && d.Message.Contains("exceeds the limit"));
    }

    [Fact]
    public void Load_UndefinedParameter_IsLeftAsWritten()
    {
        var config = TestConfigs.Clean("global_defs {\n router_id $NOPE\n}\n");
        Assert.Equal("$NOPE", config.GlobalDefs.RouterId);
    }

    [Fact]
    public void Load_Conditionals_KeepMatchingLinesOnly()
    {
        const string text = "global_defs {\n@high router_id H\n@^high router_id L\n}\n";
        Assert.Equal("H", TestConfigs.Clean(text, TestConfigs.Options() with { ConfigId = "high" }).GlobalDefs.RouterId);
        Assert.Equal("L", TestConfigs.Clean(text, TestConfigs.Options() with { ConfigId = "low" }).GlobalDefs.RouterId);
        Assert.Equal("L", TestConfigs.Clean(text).GlobalDefs.RouterId);
    }

    [Fact]
    public void Load_SeqAndSeqxAndLst_RepeatTheRestOfTheLine()
    {
        var config = TestConfigs.Clean("""
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 1
                virtual_ipaddress {
                    ~SEQ(i,1,2,5) 10.77.0.$i
                }
                virtual_ipaddress_excluded {
                    ~LST(n,20,21) 10.77.0.${n}
                    ~LST({a,b},{30,24},{31,25}) 10.77.0.$a/$b
                    ~SEQx(h,10,1,11) fd77::$h
                }
            }
            """);
        var vi = config.VrrpInstances[0];
        Assert.Equal(["10.77.0.1", "10.77.0.3", "10.77.0.5"], vi.VirtualIpAddresses.Select(a => a.Address.ToString()));
        Assert.Equal(["10.77.0.20", "10.77.0.21", "10.77.0.30", "10.77.0.31", "fd77::a", "fd77::b"], vi.VirtualIpAddressesExcluded.Select(a => a.Address.ToString()));
        Assert.Equal([32, 32, 24, 25, 128, 128], vi.VirtualIpAddressesExcluded.Select(a => a.PrefixLength));
    }

    [Fact]
    public void Load_PredefinedHashAndBang_Substitute()
    {
        var config = TestConfigs.Clean("global_defs {\n router_id a${_HASH}b${_BANG}\n}\n");
        Assert.Equal("a#b!", config.GlobalDefs.RouterId);
    }

    [Fact]
    public void Load_FileAboveSizeLimit_IsAClearErrorWithoutReading()
    {
        var fs = new InMemoryFileSystem().Add(Main, "include big.conf\n").Add("/etc/keepalived/big.conf", new string('#', 2048));
        var result = ConfigLoader.Load(Main, TestConfigs.Options(fs) with { MaxFileBytes = 1024 });
        var error = Assert.Single(result.Diagnostics);
        Assert.Contains("more than the limit of 1024 bytes", error.Message);
        Assert.Equal((Main, 1), (error.File, error.Line));
    }

    [Fact]
    public void Load_Fifty_Megabyte_File_OnDisk_IsRejectedQuickly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-big-{Environment.ProcessId}.conf");
        try
        {
            using (var stream = File.Create(path))
            {
                stream.SetLength(50L * 1024 * 1024);
            }
            var result = ConfigLoader.Load(path, new ConfigLoadOptions());
            Assert.True(result.Config is null || result.Config.VrrpInstances.IsEmpty);
            Assert.Contains(result.Diagnostics, d => d.Severity == ConfigSeverity.Error && d.Message.Contains("bytes, more than the limit"));
            Assert.Equal(ConfigTest.ExitConfigProblems, ConfigTest.ExitCodeOf(result));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingMainFile_HasNoConfigAndAnError()
    {
        var result = ConfigLoader.Load("/nonexistent/keepalived.conf", TestConfigs.Options());
        Assert.Null(result.Config);
        Assert.Equal(ConfigTest.ExitConfigProblems, ConfigTest.ExitCodeOf(result));
    }

    [Fact]
    public void Load_UnbalancedBraces_AreErrors()
    {
        Assert.Contains(TestConfigs.Load("global_defs {\n router_id x\n").Diagnostics, d => d.Message.Contains("missing '}'"));
        Assert.Contains(TestConfigs.Load("}\n").Diagnostics, d => d.Message.Contains("Extra '}'") && d.Line == 1);
    }
}
