using Vigil.Hosting;

namespace Vigil.Tests.Hosting;

public sealed class PidFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-pid-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Acquire_WritesPid_AndDisposeRemovesIt()
    {
        var path = Path.Combine(_dir, "a.pid");
        using (PidFile.Acquire(path, Environment.ProcessId))
        {
            Assert.Equal(Environment.ProcessId.ToString() + "\n", File.ReadAllText(path));
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Acquire_FileOfLiveProcess_IsAClearError()
    {
        var path = Path.Combine(_dir, "b.pid");
        File.WriteAllText(path, "1\n"); // pid 1 is always alive
        var error = Assert.Throws<InvalidOperationException>(() => PidFile.Acquire(path, Environment.ProcessId));
        Assert.Contains("running process 1", error.Message);
        Assert.Equal("1\n", File.ReadAllText(path));
    }

    [Fact]
    public void Acquire_StaleFile_IsReplaced()
    {
        var path = Path.Combine(_dir, "c.pid");
        File.WriteAllText(path, "999999999\n");
        using var pid = PidFile.Acquire(path, Environment.ProcessId);
        Assert.Equal(Environment.ProcessId, PidFile.ReadPid(path));
    }

    [Fact]
    public void Dispose_LeavesASuccessorsFileAlone()
    {
        var path = Path.Combine(_dir, "d.pid");
        var pid = PidFile.Acquire(path, Environment.ProcessId);
        File.WriteAllText(path, "1\n");
        pid.Dispose();
        Assert.True(File.Exists(path));
    }
}
