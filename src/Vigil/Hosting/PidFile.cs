namespace Vigil.Hosting;

/// <summary>
/// A pid file held for the daemon's lifetime. A file naming a live process is a clear error (two daemons
/// would fight over the same VIPs); a stale one from a crash is replaced.
/// </summary>
internal sealed class PidFile : IDisposable
{
    public const string DefaultPath = "/run/keepalived.pid";

    private readonly string _path;
    private readonly int _pid;

    private PidFile(string path, int pid)
    {
        _path = path;
        _pid = pid;
    }

    public static PidFile Acquire(string path, int pid)
    {
        if (ReadPid(path) is { } other && other != pid && ProcessAlive(other))
        {
            throw new InvalidOperationException($"pid file {path} names running process {other}: another daemon is using it (use -p to choose another pid file)");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, pid + "\n");
        return new PidFile(path, pid);
    }

    internal static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // /proc/PID exists exactly while the process (or zombie) does; no signal needed to ask.
    internal static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}");

    public void Dispose()
    {
        // Only remove the file if it is still ours: a successor may have replaced it.
        if (ReadPid(_path) == _pid)
        {
            try
            {
                File.Delete(_path);
            }
            catch (IOException)
            {
            }
        }
    }
}
