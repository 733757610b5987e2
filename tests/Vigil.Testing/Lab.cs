using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Testing;

/// <summary>
/// A throw-away network lab: hosts are network namespaces attached by veth pairs to bridges that live
/// in a dedicated "switch" namespace, so nothing is created in the root namespace. Names are unique
/// to the run (prefix + pid + counter). Everything is removed at dispose, at process exit or SIGINT/
/// SIGTERM, and by the next run's sweeper if the test process died hard.
/// </summary>
/// <example>
/// <code>
/// await using var lab = await Lab.CreateAsync(TestContext.Current.TestOutputHelper!.WriteLine);
/// var lb1 = await lab.AddHostAsync("lb1");            // eth0, 10.77.0.1/24, fd77::1/64
/// var lb2 = await lab.AddHostAsync("lb2");            // eth0, 10.77.0.2/24, fd77::2/64
/// var k1 = lab.StartKeepalived(lb1, config1);
/// await lb1.WaitForAddressAsync("10.77.0.100", TimeSpan.FromSeconds(5));
/// </code>
/// </example>
public sealed partial class Lab : IAsyncDisposable
{
    /// <summary>The default segment's IPv4 network; the harness never assigns addresses outside it.</summary>
    public const string Ipv4Prefix = "10.77.0.";

    public const string Ipv6Prefix = "fd77::";

    /// <summary>The conventional VIP for tests (hosts get .1 to .99).</summary>
    public const string Vip4 = "10.77.0.100";

    public const string Vip6 = "fd77::100";

    private static int s_sequence;

    private readonly LabOptions _options;
    private readonly List<LabHost> _hosts = [];
    private readonly List<LabSegment> _segments = [];
    private readonly List<LabProcess> _processes = [];
    private readonly List<LabCapture> _captures = [];
    private readonly List<string> _namespaces = [];
    private readonly Lock _lock = new();
    private int _fileSequence;
    private int _portSequence;
    private int _tornDown;

    private Lab(LabOptions options, LabLog log, string id, string directory, CancellationToken cancellation)
    {
        _options = options;
        Cancellation = cancellation;
        Log = log;
        Id = id;
        Directory = directory;
        SwitchNamespace = id + "-sw";
    }

    /// <summary>The token given at creation (the test's): every command the lab runs observes it.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Unique id of this lab, e.g. "vlab12345x1"; every namespace name starts with it.</summary>
    public string Id { get; }

    /// <summary>The lab's directory: configs, process output, pid files, captures, lab.log.</summary>
    public string Directory { get; }

    public LabLog Log { get; }

    /// <summary>The namespace holding the bridges.</summary>
    public string SwitchNamespace { get; }

    /// <summary>The default segment "lan": 10.77.0.0/24 and fd77::/64.</summary>
    public LabSegment Lan => _segments[0];

    public IReadOnlyList<LabHost> Hosts { get { lock (_lock) { return [.. _hosts]; } } }

    public IReadOnlyList<LabProcess> Processes { get { lock (_lock) { return [.. _processes]; } } }

    /// <summary>True when the effective user is root (namespaces, raw sockets and captures need it).</summary>
    public static bool IsRoot => Native.GetEuid() == 0;

    /// <summary>Creates a lab with its switch namespace and the default segment. Fails clearly unless root.</summary>
    public static Task<Lab> CreateAsync(Action<string>? log = null, CancellationToken cancellationToken = default) =>
        CreateAsync(new LabOptions(), log, cancellationToken);

    public static async Task<Lab> CreateAsync(LabOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsRoot)
        {
            throw new LabRequirementException(
                "the lab needs root (network namespaces, raw sockets, packet capture): run the tests as root, e.g. 'sudo scripts/test' " +
                "or 'sudo dotnet test --project tests/Vigil.Lab.Tests'");
        }
        if (!PrefixPattern().IsMatch(options.Prefix))
        {
            throw new ArgumentException("prefix must be 2-6 lowercase letters", nameof(options));
        }
        var labLog = new LabLog(log);
        var baseDir = options.BaseDirectory ?? Path.GetTempPath();
        Sweeper.Sweep(options.Prefix, baseDir, labLog);

        var pid = Environment.ProcessId;
        var id = $"{options.Prefix}{pid}x{Interlocked.Increment(ref s_sequence)}";
        var directory = Path.Combine(baseDir, id);
        System.IO.Directory.CreateDirectory(directory);
        labLog.AttachFile(Path.Combine(directory, "lab.log"));
        var lab = new Lab(options, labLog, id, directory, cancellationToken);
        LabRegistry.Register(lab);
        labLog.Write($"lab {id} in {directory}");
        try
        {
            await lab.AddNamespaceAsync(lab.SwitchNamespace, cancellationToken);
            // The switch only forwards frames: no IPv6 of its own, so captures show only the hosts' traffic.
            await lab.SwitchSysctlAsync("net.ipv6.conf.all.disable_ipv6", "1");
            await lab.SwitchSysctlAsync("net.ipv6.conf.default.disable_ipv6", "1");
            await lab.AddSegmentCoreAsync("lan", Ipv4Prefix, Ipv6Prefix, cancellationToken);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
        return lab;
    }

    [GeneratedRegex("^[a-z]{2,6}$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[a-z][a-z0-9]{0,9}$")]
    private static partial Regex NamePattern();

    // ---- topology -------------------------------------------------------------------------------

    /// <summary>Adds another L2 segment (a bridge in the switch namespace) without automatic addresses.</summary>
    public Task<LabSegment> AddSegmentAsync(string name) =>
        AddSegmentCoreAsync(name, null, null, Cancellation);

    private async Task<LabSegment> AddSegmentCoreAsync(string name, string? v4, string? v6, CancellationToken cancellationToken)
    {
        ValidateName(name);
        var bridge = "br-" + name;
        // Snooping off: otherwise the bridge may withhold IPv6 multicast (ff02::12) from ports it saw no MLD report on.
        await SwitchIpAsync(cancellationToken, "link", "add", bridge, "type", "bridge",
            "forward_delay", "0", "stp_state", "0", "mcast_snooping", "0");
        await SwitchIpAsync(cancellationToken, "link", "set", bridge, "up");
        var segment = new LabSegment(this, name, bridge, v4, v6);
        lock (_lock)
        {
            _segments.Add(segment);
        }
        return segment;
    }

    /// <summary>
    /// Adds a host attached to <paramref name="segment"/> (default: <see cref="Lan"/>) by interface
    /// <paramref name="ifname"/>. On a segment with automatic addressing the N-th host gets
    /// 10.77.0.N/24 and fd77::N/64 (hex N), unless <paramref name="autoAddress"/> is false.
    /// DAD is off in the namespace so IPv6 addresses (also VIPs added later) are usable at once.
    /// </summary>
    /// <param name="attach">False: the namespace gets only lo (link it with <see cref="ConnectAsync"/> or <see cref="LinkDirectAsync"/>).</param>
    public async Task<LabHost> AddHostAsync(string name, LabSegment? segment = null, string ifname = "eth0",
        bool autoAddress = true, bool attach = true)
    {
        var cancellationToken = Cancellation;
        ValidateName(name);
        var ns = $"{Id}-{name}";
        LabHost host;
        lock (_lock)
        {
            if (_hosts.Any(h => h.Name == name))
            {
                throw new ArgumentException($"host {name} exists", nameof(name));
            }
            host = new LabHost(this, name, ns);
            _hosts.Add(host);
        }
        await AddNamespaceAsync(ns, cancellationToken);
        await host.SysctlAsync("net.ipv6.conf.all.accept_dad", "0");
        await host.SysctlAsync("net.ipv6.conf.default.accept_dad", "0");
        // Quieter captures: no router solicitations from the hosts.
        await host.SysctlAsync("net.ipv6.conf.default.router_solicitations", "0");
        await host.IpAsync("link", "set", "lo", "up");
        if (attach)
        {
            await ConnectAsync(host, segment ?? Lan, ifname, autoAddress);
        }
        return host;
    }

    /// <summary>
    /// A point-to-point veth pair between two hosts, no bridge and no addresses: <paramref name="ifA"/> in
    /// <paramref name="a"/>, <paramref name="ifB"/> in <paramref name="b"/>, both up (link-local present).
    /// </summary>
    public async Task LinkDirectAsync(LabHost a, string ifA, LabHost b, string ifB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Lab != this || b.Lab != this)
        {
            throw new ArgumentException("both hosts must belong to this lab");
        }
        await a.IpAsync("link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.Namespace);
        foreach (var (host, ifname) in new[] { (a, ifA), (b, ifB) })
        {
            await host.SysctlAsync($"net.ipv6.conf.{ifname}.accept_dad", "0");
            await host.IpAsync("link", "set", ifname, "up");
        }
        await a.WaitForLinkLocalAsync(ifA);
        await b.WaitForLinkLocalAsync(ifB);
    }

    /// <summary>Attaches a host to a segment with a new veth pair; the host side is named <paramref name="ifname"/>.</summary>
    public async Task<LabLink> ConnectAsync(LabHost host, LabSegment segment, string ifname, bool autoAddress = true)
    {
        var cancellationToken = Cancellation;
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(segment);
        if (ifname.Length is 0 or > 15)
        {
            throw new ArgumentException("interface names are 1 to 15 characters (IFNAMSIZ)", nameof(ifname));
        }
        var port = $"{host.Name}-{ifname}";
        if (port.Length > 15)
        {
            port = $"p{Interlocked.Increment(ref _portSequence)}";
        }
        await SwitchIpAsync(cancellationToken, "link", "add", port, "type", "veth", "peer", "name", ifname, "netns", host.Namespace);
        await SwitchIpAsync(cancellationToken, "link", "set", port, "master", segment.Bridge, "up");
        var link = new LabLink(host, segment, ifname, port);
        host.AddLink(link);
        await host.SysctlAsync($"net.ipv6.conf.{ifname}.accept_dad", "0");
        await host.IpAsync("link", "set", ifname, "up");
        // The kernel adds fe80:: shortly after the link comes up; VRRPv3 over IPv6 needs it as its source.
        await host.WaitForLinkLocalAsync(ifname);
        if (autoAddress && (segment.Ipv4Prefix is not null || segment.Ipv6Prefix is not null))
        {
            int index;
            lock (_lock)
            {
                index = segment.NextHostIndex++;
            }
            if (index > 99)
            {
                throw new InvalidOperationException("at most 99 hosts per segment get automatic addresses (.100 is the VIP)");
            }
            if (host.Index == 0)
            {
                host.Index = index;
            }
            if (segment.Ipv4Prefix is not null)
            {
                var v4 = IPAddress.Parse(segment.Ipv4Prefix + index.ToString(CultureInfo.InvariantCulture));
                await host.AddAddressAsync($"{v4}/24", ifname);
                host.Ipv4 ??= v4;
            }
            if (segment.Ipv6Prefix is not null)
            {
                var v6 = IPAddress.Parse(segment.Ipv6Prefix + index.ToString("x", CultureInfo.InvariantCulture));
                await host.AddAddressAsync($"{v6}/64", ifname);
                host.Ipv6 ??= v6;
            }
        }
        return link;
    }

    private static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}': names are 1-10 lowercase letters or digits, starting with a letter", nameof(name));
        }
    }

    private async Task AddNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_tornDown != 0, this);
            // Recorded before creation so that a failure half way still tears it down.
            _namespaces.Add(ns);
        }
        await Shell.RunAsync(Log, "ip", ["netns", "add", ns], cancellationToken: cancellationToken);
    }

    internal Task<CommandResult> SwitchIpAsync(CancellationToken cancellationToken, params string[] args) =>
        Shell.RunAsync(Log, "ip", ["-n", SwitchNamespace, .. args], cancellationToken: cancellationToken);

    private Task<CommandResult> SwitchSysctlAsync(string key, string value) =>
        Shell.RunAsync(Log, "ip", ["netns", "exec", SwitchNamespace, "sysctl", "-q", "-w", $"{key}={value}"], cancellationToken: Cancellation);

    // ---- files and processes --------------------------------------------------------------------

    /// <summary>A fresh path in the lab directory: "name.N.ext".</summary>
    public string NewPath(string name, string extension)
    {
        var n = Interlocked.Increment(ref _fileSequence);
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return Path.Combine(Directory, $"{safe}.{n}.{extension.TrimStart('.')}");
    }

    /// <summary>Writes text to a fresh file in the lab directory and returns its path.</summary>
    public string WriteFile(string name, string extension, string text)
    {
        var path = NewPath(name, extension);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Starts a long-running process in <paramref name="host"/> (null: the root namespace).</summary>
    public LabProcess Start(LabHost? host, string name, string file, IEnumerable<string> args)
    {
        var argv = host is null ? [file, .. args] : new List<string> { "ip", "netns", "exec", host.Namespace, file }.Concat(args).ToList();
        return StartCore(host, $"{name}@{host?.Name ?? "root"}", argv);
    }

    internal LabProcess StartInSwitch(string name, IEnumerable<string> argv) =>
        StartCore(null, $"{name}@switch", ["ip", "netns", "exec", SwitchNamespace, .. argv]);

    private LabProcess StartCore(LabHost? host, string label, IReadOnlyList<string> argv)
    {
        var n = Interlocked.Increment(ref _fileSequence);
        var baseName = Path.Combine(Directory, $"{label.Replace('@', '.')}.{n}");
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_tornDown != 0, this);
            var process = LabProcess.Start(label, host, argv, baseName + ".out", baseName + ".err", Log);
            _processes.Add(process);
            return process;
        }
    }

    /// <summary>Runs a command to completion in the root namespace (e.g. tshark -r on a capture file).</summary>
    public Task<CommandResult> RunAsync(string file, IEnumerable<string> args, bool check = true, TimeSpan? timeout = null) =>
        Shell.RunAsync(Log, file, [.. args], timeout, check, Cancellation);

    // ---- captures -------------------------------------------------------------------------------

    /// <summary>
    /// Starts tshark on a segment's bridge (default <see cref="Lan"/>) with a BPF capture filter
    /// (e.g. "vrrp", "ip proto 112 or ip6 proto 112", "arp") and waits until it is capturing.
    /// </summary>
    public Task<LabCapture> StartCaptureAsync(string captureFilter = "", LabSegment? segment = null) =>
        StartCaptureCoreAsync(null, (segment ?? Lan).Bridge, captureFilter);

    internal async Task<LabCapture> StartCaptureCoreAsync(LabHost? host, string device, string captureFilter)
    {
        var path = NewPath($"capture-{host?.Name ?? "switch"}-{device}", "pcapng");
        var argv = new List<string> { "tshark", "-n", "-q", "-i", device, "-w", path };
        if (captureFilter.Length > 0)
        {
            argv.AddRange(["-f", captureFilter]);
        }
        var process = host is null ? StartInSwitch("tshark", argv) : Start(host, "tshark", argv[0], argv.Skip(1));
        var capture = new LabCapture(this, process, path, host is null ? device : $"{host.Name}:{device}");
        lock (_lock)
        {
            _captures.Add(capture);
        }
        await capture.WaitUntilCapturingAsync(TimeSpan.FromSeconds(20));
        return capture;
    }

    /// <summary>The hosts (of <paramref name="among"/>, default all) that hold <paramref name="address"/> right now.</summary>
    public async Task<IReadOnlyList<LabHost>> HoldersAsync(string address, params LabHost[] among)
    {
        var holders = new List<LabHost>();
        foreach (var host in among.Length > 0 ? among : Hosts.ToArray())
        {
            if (await host.HasAddressAsync(address))
            {
                holders.Add(host);
            }
        }
        return holders;
    }

    /// <summary>Polls until exactly <paramref name="expected"/> (of <paramref name="among"/>) holds the address; returns the time it took.</summary>
    public Task<TimeSpan> WaitForSoleHolderAsync(string address, LabHost expected, TimeSpan timeout, params LabHost[] among) =>
        Poll.UntilAsync(async () => (await HoldersAsync(address, among)) is [var only] && only == expected, timeout,
            $"{expected.Name} to be the only holder of {address}", DiagnosticsAsync, log: Log);

    /// <summary>Checks that <paramref name="expected"/> stays the only holder of the address for <paramref name="duration"/>.</summary>
    public Task SoleHolderHoldsForAsync(string address, LabHost expected, TimeSpan duration, params LabHost[] among) =>
        Poll.HoldsForAsync(async () => (await HoldersAsync(address, among)) is [var only] && only == expected, duration,
            $"{expected.Name} as the only holder of {address}", DiagnosticsAsync, log: Log);

    // ---- diagnostics ----------------------------------------------------------------------------

    /// <summary>Addresses and routes of every host, the bridge ports, and the tail of every process's output.</summary>
    public async Task<string> DiagnosticsAsync()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"===== lab {Id} diagnostics (files in {Directory})\n");
        foreach (var host in Hosts)
        {
            text.Append(await host.DescribeAsync());
        }
        var ports = await Shell.RunAsync(null, "ip", ["-n", SwitchNamespace, "-br", "link"], check: false);
        text.Append("--- switch\n").Append(ports.Stdout);
        foreach (var process in Processes)
        {
            text.Append(process.Tail(30)).Append('\n');
        }
        LabCapture[] captures;
        lock (_lock)
        {
            captures = [.. _captures];
        }
        foreach (var capture in captures)
        {
            text.Append(await capture.SummaryAsync(maxLines: 40)).Append('\n');
        }
        text.Append("=====");
        return text.ToString();
    }

    // ---- teardown -------------------------------------------------------------------------------

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _tornDown) != 0)
        {
            return;
        }
        try
        {
            if (_options.DiagnosticsOnDispose)
            {
                Log.Write(await DiagnosticsAsync());
            }
            LabCapture[] captures;
            LabProcess[] processes;
            lock (_lock)
            {
                captures = [.. _captures];
                processes = [.. _processes];
            }
            foreach (var capture in captures)
            {
                await capture.StopAsync();
            }
            // Graceful first, so daemons log their shutdown (and a VRRP master sends priority 0).
            await Task.WhenAll(processes.Select(p => p.StopAsync(_options.StopGrace)));
        }
#pragma warning disable CA1031 // Teardown must run whatever went wrong before it; the failure is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Write($"graceful teardown failed, forcing it: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            TearDownNow();
        }
    }

    /// <summary>
    /// Synchronous, idempotent teardown: SIGKILL every tracked process tree and anything still inside our
    /// namespaces, delete the namespaces, remove the directory. Used by dispose and the exit hooks.
    /// </summary>
    internal void TearDownNow()
    {
        if (Interlocked.Exchange(ref _tornDown, 1) != 0)
        {
            return;
        }
        LabProcess[] processes;
        string[] namespaces;
        lock (_lock)
        {
            processes = [.. _processes];
            namespaces = [.. _namespaces];
        }
        foreach (var process in processes)
        {
            try
            {
                process.Kill();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                Log.Write($"kill {process.Name}: {e.Message}");
            }
        }
        // Hosts first, the switch last (deleting a host namespace removes its veth ends with it).
        foreach (var ns in namespaces.Reverse())
        {
            Sweeper.DeleteNamespace(ns, Log);
        }
        Log.Write($"lab {Id} torn down");
        Log.DetachFile();
        if (!_options.KeepFiles)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is not worth failing a test over; the next sweep removes it.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        LabRegistry.Unregister(this);
    }
}

/// <summary>The lab cannot run here (not root, a tool missing): a failure with the reason, never a silent skip.</summary>
public sealed class LabRequirementException : Exception
{
    public LabRequirementException() { }

    public LabRequirementException(string message) : base(message) { }

    public LabRequirementException(string message, Exception inner) : base(message, inner) { }
}
