using Vigil.Linux.Scripts;

namespace Vigil.Linux.Tests.Scripts;

public class ScriptAccountTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nkeepalived_script:x:998:997::/:/bin/false\n";
    private const string Groups = "root:x:0:\nnogroup:x:65534:\nwww:x:33:\n";

    [Fact]
    public void Resolve_UserByName_TakesUidAndPrimaryGid()
    {
        Assert.Equal(new ScriptAccount("nobody", 65534, 65534), ScriptAccount.Resolve("nobody", null, Passwd, Groups));
    }

    [Fact]
    public void Resolve_WithGroup_OverridesGid()
    {
        Assert.Equal(new ScriptAccount("nobody", 65534, 33), ScriptAccount.Resolve("nobody", "www", Passwd, Groups));
    }

    [Fact]
    public void Resolve_Unknown_IsNull()
    {
        Assert.Null(ScriptAccount.Resolve("nosuch", null, Passwd, Groups));
        Assert.Null(ScriptAccount.Resolve("nobody", "nosuchgroup", Passwd, Groups));
    }

    [Fact]
    public void Default_KeepalivedScriptExists_IsThatUser()
    {
        Assert.Equal(998u, ScriptAccount.Default(Passwd).Uid);
        Assert.Equal(ScriptAccount.Root, ScriptAccount.Default("root:x:0:0::/:/bin/sh\n"));
    }
}
