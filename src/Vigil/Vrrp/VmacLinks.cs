using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Vigil.Config;
using Vigil.Linux;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink.Route;
using Vigil.Linux.Sysctl;

namespace Vigil.Vrrp;

/// <summary>
/// The use_vmac macvlan links of one VRRP host (one per rtnetlink socket): created (mode private, MAC 00:00:5e:00:0X:VRID,
/// keepalived's sysctls, up) when an instance starts, kept while an instance uses them (a reload that restarts an
/// instance finds its link and its VRRP socket still there). When the last user stops, deletion is posted to the VRRP
/// loop, so a reload's stop-then-start of the same instance keeps the link; whatever is left goes when the process exits.
/// Uses its own rtnetlink socket so that exit-time deletion works after the daemon closed its own.
/// </summary>
internal sealed partial class VmacLinks
{
    private static readonly ConditionalWeakTable<RouteNetlink, VmacLinks> s_hosts = [];
    private static readonly string[] s_globalConf = ["all", "default"];

    private readonly RouteNetlink _rtnl;
    private readonly NetworkNamespace? _namespace;
    private readonly ILogger _log;
    private readonly Action<Action> _post;
    private readonly Dictionary<string, Entry> _links = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private IReadOnlyList<(string Key, string Value)>? _rpFilterRestore;

    private VmacLinks(NetworkNamespace? ns, ILogger log, Action<Action> post)
    {
        _rtnl = RouteNetlink.Open(ns);
        _namespace = ns;
        _log = log;
        _post = post;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveUnused();
    }

    /// <summary>The links of the VRRP host that uses <paramref name="hostRtnl"/>; <paramref name="post"/> queues work on its loop.</summary>
    public static VmacLinks For(RouteNetlink hostRtnl, NetworkNamespace? ns, ILogger log, Action<Action> post) =>
        s_hosts.GetValue(hostRtnl, _ => new VmacLinks(ns, log, post));

    /// <summary>Links this host made, with the number of instances on each.</summary>
    public IReadOnlyDictionary<string, int> Users
    {
        get
        {
            lock (_lock)
            {
                return _links.ToDictionary(p => p.Key, p => p.Value.Users, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>
    /// The VMAC for <paramref name="instance"/> on <paramref name="parent"/>, created if needed. A link of the name that
    /// is already a macvlan with the right MAC on the right parent (a crashed run's, or this run's before a reload) is
    /// reused. Throws <see cref="InvalidOperationException"/> when no name is free.
    /// </summary>
    public LinkInfo Acquire(VrrpInstanceConfig instance, GlobalDefsConfig global, LinkInfo parent, bool ipv6)
    {
        var mac = VmacNaming.Mac(instance.VirtualRouterId, ipv6, instance.UseVmac?.MacAddress);
        lock (_lock)
        {
            foreach (var name in VmacNaming.Candidates(instance, global))
            {
                if (name.Length > RouteNetlink.MaxInterfaceNameLength)
                {
                    throw new InvalidOperationException($"VMAC name {name} is longer than {RouteNetlink.MaxInterfaceNameLength} characters");
                }
                if (_links.TryGetValue(name, out var mine) && mine.Users > 0)
                {
                    continue;
                }
                var existing = _rtnl.GetLink(name);
                if (existing is not null && !(existing.Kind == "macvlan" && existing.LinkIndex == parent.Index && mac.Equals(existing.HardwareAddress)))
                {
                    if (instance.UseVmac?.Name is not null)
                    {
                        throw new InvalidOperationException($"interface {name} exists and is not this instance's VMAC");
                    }
                    continue;
                }
                if (existing is null)
                {
                    _rtnl.CreateMacvlanIfAbsent(name, parent.Index, mac, MacvlanMode.Private);
                    LogCreated(_log, instance.Name, name);
                }
                var link = _rtnl.GetLink(name) ?? throw new InvalidOperationException($"VMAC {name} vanished after creation");
                Configure(link, parent, ipv6, instance.VmacXmitBase);
                _links[name] = new Entry(link.Index, Users: 1, Keep: false);
                return _rtnl.GetLink(link.Index) ?? link;
            }
        }
        throw new InvalidOperationException($"no free VMAC name for VRID {instance.VirtualRouterId}");
    }

    /// <summary>An instance stopped using <paramref name="name"/>. <paramref name="keep"/> (-V): leave it for good.</summary>
    public void Release(string name, bool keep)
    {
        lock (_lock)
        {
            if (_links.TryGetValue(name, out var entry))
            {
                _links[name] = entry with { Users = Math.Max(0, entry.Users - 1), Keep = entry.Keep || keep };
                if (entry.Users <= 1)
                {
                    _post(RemoveUnused);
                }
            }
        }
    }

    /// <summary>Deletes the links no instance uses (daemon stop), and restores rp_filter when no IPv4 VMAC is left.</summary>
    public void RemoveUnused()
    {
        lock (_lock)
        {
            foreach (var (name, entry) in _links.Where(p => p.Value.Users == 0).ToList())
            {
                _links.Remove(name);
                if (entry.Keep)
                {
                    continue;
                }
                try
                {
                    if (_rtnl.DeleteLinkIfPresent(entry.Index))
                    {
                        LogRemoved(_log, name);
                    }
                }
                catch (Exception e) when (e is KernelException or ObjectDisposedException or IOException)
                {
                    LogFailed(_log, name, "delete", e.Message);
                }
            }
            if (_links.Count == 0 && _rpFilterRestore is { } restore)
            {
                Write(restore);
                _rpFilterRestore = null;
            }
        }
    }

    private void Configure(LinkInfo link, LinkInfo parent, bool ipv6, bool xmitBase)
    {
        Write(VmacNaming.Settings(link.Name, parent.Name, ipv6));
        if (!ipv6 && _rpFilterRestore is null)
        {
            var current = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var name in s_globalConf.Concat(_rtnl.GetLinks().Select(l => l.Name)).Where(n => n != link.Name))
            {
                if (Read($"net/ipv4/conf/{name}/rp_filter") is { } value)
                {
                    current[name] = value;
                }
            }
            var writes = VmacNaming.RpFilterChanges(current, out var restore);
            if (writes.Count > 0)
            {
                LogRpFilter(_log, current["all"], 0);
            }
            Write(writes);
            _rpFilterRestore = restore;
        }
        try
        {
            _rtnl.SetLinkUp(link.Index, up: true);
            if (ipv6 && !xmitBase)
            {
                // keepalived compat: adverts leave the VMAC from the parent's link-local, which the VMAC gets too
                // (nodad, deprecated so nothing else picks it as a source).
                var linkLocal = _rtnl.GetAddresses(parent.Index, System.Net.Sockets.AddressFamily.InterNetworkV6)
                    .FirstOrDefault(a => a.Address.IsIPv6LinkLocal);
                if (linkLocal is not null)
                {
                    _rtnl.AddAddressIfAbsent(new InterfaceAddress(link.Index, linkLocal.Address, 64)
                    {
                        Scope = AddressScope.Link,
                        Flags = AddressFlags.NoDad,
                        PreferredLifetime = TimeSpan.Zero,
                    });
                }
            }
        }
        catch (KernelException e)
        {
            LogFailed(_log, link.Name, "configure", e.Message);
        }
    }

    private int? Read(string key)
    {
        try
        {
            return int.TryParse(KernelSettings.Read(key, _namespace), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return null;
        }
    }

    private void Write(IEnumerable<(string Key, string Value)> settings)
    {
        foreach (var (key, value) in settings)
        {
            try
            {
                KernelSettings.Write(key, value, _namespace);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                LogFailed(_log, key, "write sysctl", e.Message);
            }
        }
    }

    private readonly record struct Entry(int Index, int Users, bool Keep);

    [LoggerMessage(EventId = 4621, Level = LogLevel.Information, Message = "({Name}): Success creating VMAC interface {Vmac}")]
    private static partial void LogCreated(ILogger logger, string name, string vmac);

    [LoggerMessage(EventId = 4622, Level = LogLevel.Information, Message = "Success removing VMAC interface {Vmac}")]
    private static partial void LogRemoved(ILogger logger, string vmac);

    [LoggerMessage(EventId = 4623, Level = LogLevel.Warning, Message = "VMAC {What}: cannot {Action}: {Error}")]
    private static partial void LogFailed(ILogger logger, string what, string action, string error);

    [LoggerMessage(EventId = 4624, Level = LogLevel.Information, Message = "NOTICE: setting sysctl net.ipv4.conf.all.rp_filter from {From} to {To}")]
    private static partial void LogRpFilter(ILogger logger, int from, int to);
}
