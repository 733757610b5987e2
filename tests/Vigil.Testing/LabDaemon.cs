using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Testing;

/// <summary>A keepalived or vigil started by the lab: its process plus the files it was given.</summary>
public sealed class LabDaemon
{
    internal LabDaemon(LabProcess process, LabHost host, string configPath, string pidFile,
        IReadOnlyList<string> childPidFiles, string? controlSocket, string binary)
    {
        Binary = binary;
        Process = process;
        Host = host;
        ConfigPath = configPath;
        PidFile = pidFile;
        ChildPidFiles = childPidFiles;
        ControlSocket = controlSocket;
    }

    public LabProcess Process { get; }

    /// <summary>The executable that was started.</summary>
    public string Binary { get; }

    public LabHost Host { get; }

    /// <summary>PID of the main (parent) process.</summary>
    public int Pid => Process.Pid;

    public string ConfigPath { get; }

    public string PidFile { get; }

    /// <summary>keepalived's -r/-c/-b pid files (VRRP, checker, BFD children); empty for vigil.</summary>
    public IReadOnlyList<string> ChildPidFiles { get; }

    /// <summary>vigil's --control-socket path; null for keepalived.</summary>
    public string? ControlSocket { get; }

    /// <summary>Console log (-l): keepalived and vigil write it to stdout/stderr, both captured.</summary>
    public string StdoutPath => Process.StdoutPath;

    public string StderrPath => Process.StderrPath;

    public bool HasExited => Process.HasExited;

    /// <summary>PIDs written to the child pid files (keepalived's VRRP child, ...), those that exist now.</summary>
    public IReadOnlyList<int> ChildPids() =>
        ChildPidFiles.Select(ReadPid).Where(p => p is > 1 && Native.Exists(p.Value)).Select(p => p!.Value).ToList();

    /// <summary>SIGTERM, bounded wait, then SIGKILL of the whole tree (a graceful VRRP stop sends priority 0).</summary>
    public Task<bool> StopAsync(TimeSpan? grace = null) => Process.StopAsync(grace);

    /// <summary>kill -9 of the parent and every child at once: the peers see adverts stop (no priority 0).</summary>
    public void Kill() => Process.Kill();

    public Task KillAsync() => Process.KillAsync();

    /// <summary>SIGHUP: reload the configuration.</summary>
    public bool Reload() => Process.Signal(Native.SIGHUP);

    /// <summary>Rewrites the configuration file (for a following <see cref="Reload"/>).</summary>
    public void RewriteConfig(string configText) => File.WriteAllText(ConfigPath, configText);

    /// <summary>`vigil status --control-socket SOCK [--json]` in the daemon's host (vigil only); does not throw on failure.</summary>
    public Task<CommandResult> StatusAsync(bool json = false)
    {
        var socket = ControlSocket ?? throw new InvalidOperationException($"{Process.Name} has no control socket (not vigil)");
        return Host.ExecAsync(Binary, json ? ["status", "--control-socket", socket, "--json"] : ["status", "--control-socket", socket],
            check: false);
    }

    public string ReadOutput() => Process.ReadOutput();

    public Task<string> WaitForOutputAsync(string text, TimeSpan timeout) => Process.WaitForOutputAsync(text, timeout);

    public Task<string> WaitForOutputAsync(Regex pattern, TimeSpan timeout) => Process.WaitForOutputAsync(pattern, timeout);

    public override string ToString() => $"{Process.Name} (pid {Pid})";

    private static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

public static class LabDaemons
{
    /// <summary>
    /// The vigil executable under test: $VIGIL_BINARY, else artifacts/vigil in the repository that
    /// contains the test assembly, else /work/main/artifacts/vigil.
    /// </summary>
    public static string VigilBinary
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("VIGIL_BINARY");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
                {
                    return Path.Combine(dir.FullName, "artifacts", "vigil");
                }
            }
            return "/work/main/artifacts/vigil";
        }
    }

    /// <summary>
    /// Starts real keepalived in <paramref name="host"/>: `keepalived -n -l -D -f CONF -p PID -r VPID -c CPID -b BPID`
    /// (+ --vrrp unless <paramref name="vrrpOnly"/> is false) + <paramref name="extraArgs"/>. Every pid file is in
    /// the lab directory, so two keepalived on one machine never clash.
    /// </summary>
    public static LabDaemon StartKeepalived(this Lab lab, LabHost host, string configText, bool vrrpOnly = true,
        IEnumerable<string>? extraArgs = null)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(host);
        var keepalived = FindOnPath("keepalived")
            ?? throw new LabRequirementException("keepalived is not installed (apt-get install keepalived; scripts/test does it)");
        var config = lab.WriteFile($"keepalived-{host.Name}", "conf", configText);
        var pid = lab.NewPath($"keepalived-{host.Name}", "pid");
        var vrrpPid = lab.NewPath($"keepalived-{host.Name}-vrrp", "pid");
        var checkersPid = lab.NewPath($"keepalived-{host.Name}-checkers", "pid");
        var bfdPid = lab.NewPath($"keepalived-{host.Name}-bfd", "pid");
        var args = new List<string> { "-n", "-l", "-D", "-f", config, "-p", pid, "-r", vrrpPid, "-c", checkersPid, "-b", bfdPid };
        if (vrrpOnly)
        {
            args.Add("--vrrp");
        }
        args.AddRange(extraArgs ?? []);
        var process = lab.Start(host, "keepalived", keepalived, args);
        return new LabDaemon(process, host, config, pid, [vrrpPid, checkersPid, bfdPid], null, keepalived);
    }

    /// <summary>
    /// Starts vigil in <paramref name="host"/>: `vigil -n -l -D -f CONF -p PIDFILE --control-socket SOCK` + extraArgs.
    /// </summary>
    /// <param name="binary">The executable; default <see cref="VigilBinary"/>.</param>
    /// <param name="environment">Extra environment variables (run through env(1)).</param>
    public static LabDaemon StartVigil(this Lab lab, LabHost host, string configText, IEnumerable<string>? extraArgs = null,
        string? binary = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(host);
        binary ??= VigilBinary;
        if (!File.Exists(binary))
        {
            throw new LabRequirementException($"vigil binary not found at {binary}: run scripts/build or set VIGIL_BINARY");
        }
        var config = lab.WriteFile($"vigil-{host.Name}", "conf", configText);
        var pid = lab.NewPath($"vigil-{host.Name}", "pid");
        var socket = lab.NewPath($"vigil-{host.Name}", "sock");
        var args = new List<string> { "-n", "-l", "-D", "-f", config, "-p", pid, "--control-socket", socket };
        args.AddRange(extraArgs ?? []);
        var process = environment is { Count: > 0 }
            ? lab.Start(host, "vigil", "/usr/bin/env", [.. environment.Select(kv => $"{kv.Key}={kv.Value}"), binary, .. args])
            : lab.Start(host, "vigil", binary, args);
        return new LabDaemon(process, host, config, pid, [], socket, binary);
    }

    /// <summary>
    /// Starts nginx in <paramref name="host"/> as a real server for checks and balancing: in the foreground,
    /// one worker, listening on <paramref name="port"/> (IPv4 and IPv6), answering every request with 200 and
    /// <paramref name="body"/> (default "HOSTNAME\n"). <paramref name="serverConfig"/> lines replace the default
    /// `location / { ... }` inside the server block. Logs go to the lab directory.
    /// </summary>
    public static LabDaemon StartNginx(this Lab lab, LabHost host, int port = 80, string? body = null,
        IEnumerable<string>? serverConfig = null)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(host);
        var nginx = FindOnPath("nginx")
            ?? throw new LabRequirementException("nginx is not installed (apt-get install nginx-light; scripts/test does it)");
        var prefix = lab.NewPath($"nginx-{host.Name}", "d");
        Directory.CreateDirectory(prefix);
        var pid = Path.Combine(prefix, "nginx.pid");
        var text = body ?? host.Name + "\n";
        var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
        var location = serverConfig?.ToList() ?? [$"location / {{ default_type text/plain; return 200 \"{escaped}\"; }}"];
        var config = $$"""
            daemon off;
            worker_processes 1;
            pid {{pid}};
            error_log stderr notice;
            events { worker_connections 256; }
            http {
                access_log {{Path.Combine(prefix, "access.log")}};
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                server {
                    listen {{port}};
                    listen [::]:{{port}};
                    {{string.Join("\n            ", location)}}
                }
            }
            """;
        var configPath = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(configPath, config);
        var process = lab.Start(host, "nginx", nginx, ["-p", prefix, "-c", configPath]);
        return new LabDaemon(process, host, configPath, pid, [], null, nginx);
    }

    internal static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
