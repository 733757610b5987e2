using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Vigil.Testing;

/// <summary>An address the kernel shows on an interface (from `ip -j addr`).</summary>
public sealed record InterfaceAddress(string Interface, IPAddress Address, int PrefixLength, string Scope, bool Tentative)
{
    public override string ToString() =>
        $"{Interface} {Address}/{PrefixLength} scope {Scope}{(Tentative ? " tentative" : "")}";
}

/// <summary>One veth pair: <see cref="Interface"/> in the host's namespace, <see cref="SwitchPort"/> on a bridge.</summary>
public sealed record LabLink(LabHost Host, LabSegment Segment, string Interface, string SwitchPort);

/// <summary>A lab host: a network namespace with veth links to the lab's segments.</summary>
public sealed class LabHost
{
    private readonly List<LabLink> _links = [];

    internal LabHost(Lab lab, string name, string @namespace)
    {
        Lab = lab;
        Name = name;
        Namespace = @namespace;
    }

    public Lab Lab { get; }

    /// <summary>The short name the test gave, e.g. "lb1".</summary>
    public string Name { get; }

    /// <summary>The network namespace (`ip netns`) name, unique to this run.</summary>
    public string Namespace { get; }

    /// <summary>The first link's interface in the namespace ("eth0" unless told otherwise).</summary>
    public string Interface => _links.Count > 0 ? _links[0].Interface : throw new InvalidOperationException($"{Name} has no links");

    /// <summary>The automatic IPv4 address on the first link (10.77.0.N on the default segment), if any.</summary>
    public IPAddress? Ipv4 { get; internal set; }

    /// <summary>The automatic IPv6 address on the first link (fd77::N on the default segment), if any.</summary>
    public IPAddress? Ipv6 { get; internal set; }

    /// <summary>The index N the host got on its first segment (its automatic addresses end in N).</summary>
    public int Index { get; internal set; }

    public IReadOnlyList<LabLink> Links => _links;

    internal void AddLink(LabLink link) => _links.Add(link);

    public override string ToString() => $"{Name} ({Namespace})";

    // ---- running things -------------------------------------------------------------------------

    /// <summary>Runs a command in this namespace to completion; throws when it fails unless check is false.</summary>
    public Task<CommandResult> ExecAsync(string file, IEnumerable<string> args, bool check = true, TimeSpan? timeout = null) =>
        Shell.RunAsync(Lab.Log, "ip", ["netns", "exec", Namespace, file, .. args], timeout, check, Lab.Cancellation);

    public Task<CommandResult> ExecAsync(string file, params string[] args) => ExecAsync(file, (IEnumerable<string>)args);

    /// <summary>`ip -n NS ARGS`: iproute2 in this namespace.</summary>
    public Task<CommandResult> IpAsync(params string[] args) =>
        Shell.RunAsync(Lab.Log, "ip", ["-n", Namespace, .. args], cancellationToken: Lab.Cancellation);

    /// <summary>Starts a long-running process in this namespace; output goes to files in the lab directory.</summary>
    public LabProcess Start(string name, string file, IEnumerable<string> args) => Lab.Start(this, name, file, args);

    public LabProcess Start(string name, string file, params string[] args) => Lab.Start(this, name, file, args);

    /// <summary>
    /// Starts tshark on one of this host's interfaces (default the first): what the host itself sends and
    /// receives, e.g. to see that a daemon's packets leave by the right interface.
    /// </summary>
    public Task<LabCapture> StartCaptureAsync(string captureFilter = "", string? dev = null) =>
        Lab.StartCaptureCoreAsync(this, dev ?? Interface, captureFilter);

    /// <summary>Starts `ip monitor address` here and waits until it is listening (start it before the daemons).</summary>
    public Task<LabAddressMonitor> StartAddressMonitorAsync() => LabAddressMonitor.StartAsync(this);

    // ---- configuring ----------------------------------------------------------------------------

    public async Task SysctlAsync(string key, string value) =>
        await ExecAsync("sysctl", "-q", "-w", $"{key}={value}");

    /// <summary>Adds an address ("10.77.0.50/24", "fd77::50/64"); IPv6 without DAD so it is usable at once.</summary>
    public async Task AddAddressAsync(string cidr, string? dev = null)
    {
        var args = new List<string> { "addr", "add", cidr, "dev", dev ?? Interface };
        if (cidr.Contains(':', StringComparison.Ordinal))
        {
            args.Add("nodad");
        }
        await IpAsync([.. args]);
    }

    public async Task DeleteAddressAsync(string cidr, string? dev = null) =>
        await IpAsync("addr", "del", cidr, "dev", dev ?? Interface);

    /// <summary>Sets the host-side interface up or down (the host sees its own link change).</summary>
    public async Task SetLinkAsync(bool up, string? dev = null) =>
        await IpAsync("link", "set", "dev", dev ?? Interface, up ? "up" : "down");

    /// <summary>
    /// Sets the switch side of the link up or down: like pulling the cable, the host's interface loses
    /// carrier (NO-CARRIER, operstate DOWN) while staying administratively up.
    /// </summary>
    public async Task SetSwitchPortAsync(bool up, string? dev = null)
    {
        var link = FindLink(dev);
        await Shell.RunAsync(Lab.Log, "ip", ["-n", Lab.SwitchNamespace, "link", "set", "dev", link.SwitchPort, up ? "up" : "down"]);
    }

    private LabLink FindLink(string? dev) =>
        dev is null ? (_links.Count > 0 ? _links[0] : throw new InvalidOperationException($"{Name} has no links"))
            : _links.FirstOrDefault(l => l.Interface == dev) ?? throw new ArgumentException($"{Name} has no link {dev}", nameof(dev));

    // ---- observing ------------------------------------------------------------------------------

    /// <summary>Every address on every interface (or on <paramref name="dev"/>), as the kernel reports it now.</summary>
    public async Task<IReadOnlyList<InterfaceAddress>> GetAddressesAsync(string? dev = null)
    {
        var result = await Shell.RunAsync(null, "ip", dev is null
            ? ["-n", Namespace, "-j", "addr", "show"]
            : ["-n", Namespace, "-j", "addr", "show", "dev", dev]);
        return ParseAddresses(result.Stdout);
    }

    internal static List<InterfaceAddress> ParseAddresses(string json)
    {
        var list = new List<InterfaceAddress>();
        using var doc = JsonDocument.Parse(json.Length == 0 ? "[]" : json);
        foreach (var link in doc.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("ifname", out var ifname) || !link.TryGetProperty("addr_info", out var infos))
            {
                continue;
            }
            foreach (var info in infos.EnumerateArray())
            {
                if (!info.TryGetProperty("local", out var local) || !IPAddress.TryParse(local.GetString(), out var address))
                {
                    continue;
                }
                var prefix = info.TryGetProperty("prefixlen", out var p) ? p.GetInt32() : 0;
                var scope = info.TryGetProperty("scope", out var s) ? s.GetString() ?? "" : "";
                var tentative = info.TryGetProperty("tentative", out var t) && t.ValueKind == JsonValueKind.True;
                list.Add(new InterfaceAddress(ifname.GetString() ?? "", address, prefix, scope, tentative));
            }
        }
        return list;
    }

    /// <summary>True when the address is on the interface (any interface when null) and not tentative.</summary>
    public async Task<bool> HasAddressAsync(string address, string? dev = null)
    {
        var wanted = IPAddress.Parse(address);
        return (await GetAddressesAsync(dev)).Any(a => a.Address.Equals(wanted) && !a.Tentative);
    }

    /// <summary>Polls until the address is present (and usable); returns how long it took.</summary>
    public Task<TimeSpan> WaitForAddressAsync(string address, TimeSpan timeout, string? dev = null) =>
        Poll.UntilAsync(() => HasAddressAsync(address, dev), timeout,
            $"{address} on {Name}{(dev is null ? "" : " " + dev)}", Lab.DiagnosticsAsync, log: Lab.Log);

    /// <summary>Polls until the address is gone; returns how long it took.</summary>
    public Task<TimeSpan> WaitForAddressAbsentAsync(string address, TimeSpan timeout, string? dev = null)
    {
        var wanted = IPAddress.Parse(address);
        return Poll.UntilAsync(async () => !(await GetAddressesAsync(dev)).Any(a => a.Address.Equals(wanted)), timeout,
            $"{address} to leave {Name}{(dev is null ? "" : " " + dev)}", Lab.DiagnosticsAsync, log: Lab.Log);
    }

    /// <summary>The interface's IPv6 link-local address (fe80::/64), or null when it has none yet.</summary>
    public async Task<IPAddress?> GetLinkLocalAsync(string? dev = null) =>
        (await GetAddressesAsync(dev ?? Interface)).FirstOrDefault(a => a.Address.IsIPv6LinkLocal && !a.Tentative)?.Address;

    internal Task<TimeSpan> WaitForLinkLocalAsync(string dev) =>
        Poll.UntilAsync(async () => await GetLinkLocalAsync(dev) is not null, TimeSpan.FromSeconds(10),
            $"a link-local address on {Name} {dev}", DescribeAsync, TimeSpan.FromMilliseconds(10));

    /// <summary>True when something in this namespace listens on the TCP port (any address).</summary>
    public async Task<bool> IsTcpListeningAsync(int port)
    {
        var result = await Shell.RunAsync(null, "ip", ["netns", "exec", Namespace, "ss", "-H", "-t", "-l", "-n"]);
        var suffix = ":" + port.ToString(CultureInfo.InvariantCulture);
        return result.Stdout.Split('\n').Any(line =>
        {
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return cols.Length >= 4 && cols[3].EndsWith(suffix, StringComparison.Ordinal);
        });
    }

    public Task<TimeSpan> WaitForTcpListenAsync(int port, TimeSpan timeout) =>
        Poll.UntilAsync(() => IsTcpListeningAsync(port), timeout, $"a TCP listener on port {port} in {Name}", Lab.DiagnosticsAsync, log: Lab.Log);

    /// <summary>True when a TCP connection from this host to address:port succeeds within the time given.</summary>
    public async Task<bool> CanConnectTcpAsync(string address, int port, TimeSpan? connectTimeout = null)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((connectTimeout ?? TimeSpan.FromSeconds(1)).TotalSeconds));
        var result = await ExecAsync("timeout", ["-k", "1", seconds.ToString(CultureInfo.InvariantCulture), "bash", "-c",
            "exec 3<>\"/dev/tcp/$0/$1\"", address, port.ToString(CultureInfo.InvariantCulture)], check: false);
        return result.Succeeded;
    }

    public Task<TimeSpan> WaitForTcpConnectAsync(string address, int port, TimeSpan timeout) =>
        Poll.UntilAsync(() => CanConnectTcpAsync(address, port), timeout,
            $"a TCP connection from {Name} to {address}:{port}", Lab.DiagnosticsAsync, log: Lab.Log);

    /// <summary>`ip addr` and `ip route` of this host, for diagnostics.</summary>
    public async Task<string> DescribeAsync()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"--- {Name} ({Namespace})\n");
        var addr = await Shell.RunAsync(null, "ip", ["-n", Namespace, "-br", "addr"], check: false);
        text.Append(addr.Stdout);
        var route = await Shell.RunAsync(null, "ip", ["-n", Namespace, "route"], check: false);
        text.Append(route.Stdout);
        return text.ToString();
    }
}
