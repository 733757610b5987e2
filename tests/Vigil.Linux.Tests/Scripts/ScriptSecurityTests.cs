using Vigil.Linux.Scripts;

namespace Vigil.Linux.Tests.Scripts;

public class ScriptSecurityTests
{
    private const uint Dir = 0x4000;
    private const uint Reg = 0x8000;

    private static Func<string, FileOwnership?> Tree(Dictionary<string, FileOwnership> files) =>
        p => files.TryGetValue(p, out var f) ? f : null;

    private static Dictionary<string, FileOwnership> Base() => new()
    {
        ["/"] = new(0, 0, Dir | 0x1ED),
        ["/etc"] = new(0, 0, Dir | 0x1ED),
        ["/tmp"] = new(0, 0, Dir | 0x3FF),
        ["/etc/chk.sh"] = new(0, 0, Reg | 0x1ED),
    };

    [Fact]
    public void Check_RootOwned755_Ok()
    {
        var r = ScriptSecurity.Check(ScriptCommandLine.Parse("/etc/chk.sh arg"), ScriptAccount.Root, true, Tree(Base()));
        Assert.Equal(ScriptCheckResult.Ok, r.Result);
        Assert.Equal("/etc/chk.sh", r.ResolvedPath);
    }

    [Fact]
    public void Check_WorldWritableScript_UnsafeWithKeepalivedWording()
    {
        var files = Base();
        files["/etc/chk.sh"] = new(0, 0, Reg | 0x1FF);
        var r = ScriptSecurity.Check(ScriptCommandLine.Parse("/etc/chk.sh"), ScriptAccount.Root, true, Tree(files));
        Assert.Equal(ScriptCheckResult.Unsafe, r.Result);
        Assert.Equal("Unsafe permissions found for script '/etc/chk.sh' - disabling.", r.Message);
    }

    [Fact]
    public void Check_WorldWritableDirectoryAbove_Unsafe()
    {
        var files = Base();
        files["/etc"] = new(0, 0, Dir | 0x1FF);
        Assert.Equal(ScriptCheckResult.Unsafe, ScriptSecurity.Check(ScriptCommandLine.Parse("/etc/chk.sh"), ScriptAccount.Root, true, Tree(files)).Result);
    }

    [Fact]
    public void Check_StickyWorldWritableDirectory_Ok()
    {
        var files = Base();
        files["/tmp/chk.sh"] = new(0, 0, Reg | 0x1ED);
        Assert.Equal(ScriptCheckResult.Ok, ScriptSecurity.Check(ScriptCommandLine.Parse("/tmp/chk.sh"), ScriptAccount.Root, true, Tree(files)).Result);
    }

    [Fact]
    public void Check_NonRootOwnerOrGroupWritable_Unsafe()
    {
        var files = Base();
        files["/etc/chk.sh"] = new(1000, 0, Reg | 0x16D);
        Assert.Equal(ScriptCheckResult.Unsafe, ScriptSecurity.Check(ScriptCommandLine.Parse("/etc/chk.sh"), ScriptAccount.Root, true, Tree(files)).Result);
        files["/etc/chk.sh"] = new(0, 50, Reg | 0x1FD);
        Assert.Equal(ScriptCheckResult.Unsafe, ScriptSecurity.Check(ScriptCommandLine.Parse("/etc/chk.sh"), ScriptAccount.Root, true, Tree(files)).Result);
    }

    [Fact]
    public void Check_UnsafeSecurityOffReportedOnly_NonRootNotChecked()
    {
        var files = Base();
        files["/etc/chk.sh"] = new(0, 0, Reg | 0x1FF);
        var off = ScriptSecurity.Check(ScriptCommandLine.Parse("/etc/chk.sh"), ScriptAccount.Root, false, Tree(files));
        Assert.Equal(ScriptCheckResult.Unsafe, off.Result);
        Assert.Equal("Unsafe permissions found for script '/etc/chk.sh'.", off.Message);
        Assert.Equal(ScriptCheckResult.Ok, ScriptSecurity.Check(ScriptCommandLine.Parse("/etc/chk.sh"), new ScriptAccount("nobody", 65534, 65534), true, Tree(files)).Result);
    }

    [Fact]
    public void Check_Missing_NotAccessibleWithKeepalivedWording()
    {
        var r = ScriptSecurity.Check(ScriptCommandLine.Parse("/etc/nope.sh"), ScriptAccount.Root, true, Tree(Base()));
        Assert.Equal(ScriptCheckResult.NotAccessible, r.Result);
        Assert.Equal("Script /etc/nope.sh cannot be accessed - No such file or directory", r.Message);
    }

    [Fact]
    public void Check_BareName_FoundOnPath()
    {
        var r = ScriptSecurity.Check(ScriptCommandLine.Parse("chk.sh"), ScriptAccount.Root, true, Tree(Base()), "/usr/bin:/etc");
        Assert.Equal("/etc/chk.sh", r.ResolvedPath);
    }

    [Fact]
    public void FileOwnership_Get_RealFiles()
    {
        var root = FileOwnership.Get("/", out var error);
        Assert.Null(error);
        Assert.True(root!.Value.IsDirectory);
        Assert.Equal(0u, root.Value.Uid);
        Assert.Null(FileOwnership.Get("/nonexistent/x", out error));
        Assert.NotNull(error);
    }
}

public class ScriptSecurityMessageTests
{
    [Fact]
    public void ViolationMessage_KeepalivedWording()
    {
        Assert.Equal("SECURITY VIOLATION - scripts are being executed but script_security not enabled.", ScriptSecurity.ViolationMessage(false));
        Assert.EndsWith("not enabled. There are insecure scripts.", ScriptSecurity.ViolationMessage(true), StringComparison.Ordinal);
    }
}
