using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Vigil.Testing;

/// <summary>One address change the kernel announced (RTM_NEWADDR / RTM_DELADDR), with its time.</summary>
public sealed record AddressEvent(DateTimeOffset Time, bool Added, string Interface, IPAddress Address, int PrefixLength)
{
    public override string ToString() =>
        $"{Time:HH:mm:ss.ffffff} {(Added ? "added" : "deleted")} {Address}/{PrefixLength} on {Interface}";
}

/// <summary>
/// `ip -ts monitor address` in a host: the kernel's own account of when addresses came and went, to
/// measure takeovers to the microsecond instead of to the poll interval. Start it before the daemons.
/// </summary>
public sealed partial class LabAddressMonitor
{
    private const string ProbeAddress = "127.77.0.1";

    internal LabAddressMonitor(LabHost host, LabProcess process)
    {
        Host = host;
        Process = process;
    }

    public LabHost Host { get; }

    public LabProcess Process { get; }

    internal static async Task<LabAddressMonitor> StartAsync(LabHost host)
    {
        // TZ=UTC: ip prints local time without a zone.
        var process = host.Start("ip-monitor", "env", "TZ=UTC", "ip", "-ts", "monitor", "address");
        var monitor = new LabAddressMonitor(host, process);
        // Ready once it reports a probe address we add and remove on lo (the subscription is then in place).
        await Poll.UntilAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new LabCommandException($"ip monitor exited: {process.ReadOutput()}");
            }
            await host.IpAsync("addr", "replace", ProbeAddress + "/32", "dev", "lo");
            await host.IpAsync("addr", "del", ProbeAddress + "/32", "dev", "lo");
            return Parse(process.ReadOutput()).Any(e => e.Address.ToString() == ProbeAddress && !e.Added);
        }, TimeSpan.FromSeconds(20), $"ip monitor to run in {host.Name}", () => Task.FromResult(process.Tail(20)),
            TimeSpan.FromMilliseconds(200), host.Lab.Log);
        return monitor;
    }

    /// <summary>Every event so far, oldest first (the readiness probe on lo excluded).</summary>
    public IReadOnlyList<AddressEvent> Events() => Parse(Process.ReadOutput())
        .Where(e => e.Address.ToString() != ProbeAddress).ToList();

    /// <summary>Polls until the address is added (or deleted) after <paramref name="after"/>; returns that event.</summary>
    public async Task<AddressEvent> WaitForAsync(string address, bool added, TimeSpan timeout, DateTimeOffset? after = null)
    {
        var wanted = IPAddress.Parse(address);
        AddressEvent? found = null;
        await Poll.UntilAsync(() =>
        {
            found = Events().FirstOrDefault(e => e.Added == added && e.Address.Equals(wanted) && (after is null || e.Time >= after));
            return found is not null;
        }, timeout, $"{address} to be {(added ? "added on" : "deleted from")} {Host.Name} (kernel event)",
            Host.Lab.DiagnosticsAsync, log: Host.Lab.Log);
        return found!;
    }

    [GeneratedRegex(@"^\[(?<time>[0-9T:.\-]+)\]\s+(?<deleted>Deleted\s+)?\d+:\s+(?<if>\S+)\s+inet6?\s+(?<addr>[0-9a-fA-F:.]+)/(?<len>\d+)")]
    private static partial Regex EventLine();

    internal static List<AddressEvent> Parse(string output)
    {
        var events = new List<AddressEvent>();
        foreach (var line in output.Split('\n'))
        {
            var m = EventLine().Match(line);
            if (!m.Success
                || !DateTime.TryParse(m.Groups["time"].Value, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                || !IPAddress.TryParse(m.Groups["addr"].Value, out var address))
            {
                continue;
            }
            events.Add(new AddressEvent(new DateTimeOffset(time, TimeSpan.Zero), !m.Groups["deleted"].Success,
                m.Groups["if"].Value, address, int.Parse(m.Groups["len"].Value, CultureInfo.InvariantCulture)));
        }
        return events;
    }
}
