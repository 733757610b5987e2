using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Checks.Tests.Fakes;

/// <summary>
/// A real nginx on 127.0.0.1 with an ephemeral port, in a temporary prefix (daemon off, own pid file),
/// stopped by the PID we started. Serves /index.html and answers 503 on /unavailable.
/// </summary>
internal sealed class NginxInstance : IAsyncDisposable
{
    private readonly string _prefix;
    private readonly string _nginx;
    private Process? _process;

    private NginxInstance(string nginx, string prefix, int port)
    {
        _nginx = nginx;
        _prefix = prefix;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint Endpoint => new(IPAddress.Loopback, Port);

    public string IndexPath => Path.Combine(_prefix, "www", "index.html");

    public static async Task<NginxInstance?> StartAsync(string indexContent)
    {
        var nginx = ExternalTool.Find("nginx");
        if (nginx is null) return null;
        var prefix = Directory.CreateTempSubdirectory("vigil-nginx-").FullName;
        var rx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(prefix, rx);
        Directory.CreateDirectory(Path.Combine(prefix, "www"));
        Directory.CreateDirectory(Path.Combine(prefix, "tmp"));
        File.SetUnixFileMode(Path.Combine(prefix, "www"), rx);
        await File.WriteAllTextAsync(Path.Combine(prefix, "www", "index.html"), indexContent);
        File.SetUnixFileMode(Path.Combine(prefix, "www", "index.html"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var port = FreePort();
        var tmp = Path.Combine(prefix, "tmp");
        var conf = string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{tmp}};
                proxy_temp_path {{tmp}};
                fastcgi_temp_path {{tmp}};
                uwsgi_temp_path {{tmp}};
                scgi_temp_path {{tmp}};
                server {
                    listen 127.0.0.1:{{port}};
                    root {{prefix}}/www;
                    location = /unavailable { return 503; }
                }
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), conf);
        var instance = new NginxInstance(nginx, prefix, port);
        await instance.StartProcessAsync();
        return instance;
    }

    /// <summary>Starts nginx and waits (bounded) until it accepts connections.</summary>
    public async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(_nginx) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-p", _prefix, "-c", Path.Combine(_prefix, "nginx.conf"), "-e", Path.Combine(_prefix, "error.log") }) info.ArgumentList.Add(a);
        _process = Process.Start(info)!;
        _ = _process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited) throw new InvalidOperationException("nginx exited: " + await File.ReadAllTextAsync(Path.Combine(_prefix, "error.log")));
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await s.ConnectAsync(Endpoint);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
        throw new TimeoutException("nginx did not start listening");
    }

    /// <summary>Stops the nginx we started (master and its worker), by PID, and waits for the port to close.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_prefix, recursive: true);
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
