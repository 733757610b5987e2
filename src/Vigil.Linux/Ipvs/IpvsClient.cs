using System.Net.Sockets;
using Vigil.Linux.Namespaces;
using Vigil.Linux.Netlink;
using Vigil.Linux.Netlink.Generic;

namespace Vigil.Linux.Ipvs;

/// <summary>
/// The kernel's IPVS tables over generic netlink (family "IPVS"), one request at a time.
/// </summary>
public sealed class IpvsClient : IDisposable
{
    private readonly GenericNetlink _genl;
    private readonly ushort _family;
    private readonly NetlinkMessageWriter _writer = new();
    private readonly Lock _lock = new();

    private IpvsClient(GenericNetlink genl, ushort family)
    {
        _genl = genl;
        _family = family;
    }

    /// <summary>Opens the IPVS family, or returns null when the kernel has none (no ip_vs module).</summary>
    public static IpvsClient? TryOpen(NetworkNamespace? ns = null)
    {
        var genl = GenericNetlink.Open(ns);
        try
        {
            if (genl.GetFamily("IPVS") is { } family) return new IpvsClient(genl, family.Id);
        }
        catch
        {
            genl.Dispose();
            throw;
        }
        genl.Dispose();
        return null;
    }

    public void AddService(IpvsService service) => Service(IpvsCodec.CmdNewService, service, "IPVS_CMD_NEW_SERVICE");

    public void UpdateService(IpvsService service) => Service(IpvsCodec.CmdSetService, service, "IPVS_CMD_SET_SERVICE");

    public void DeleteService(IpvsService service) => Service(IpvsCodec.CmdDelService, service, "IPVS_CMD_DEL_SERVICE");

    public void AddDestination(IpvsService service, IpvsDestination dest) => Dest(IpvsCodec.CmdNewDest, service, dest, "IPVS_CMD_NEW_DEST");

    public void UpdateDestination(IpvsService service, IpvsDestination dest) => Dest(IpvsCodec.CmdSetDest, service, dest, "IPVS_CMD_SET_DEST");

    public void DeleteDestination(IpvsService service, IpvsDestination dest) => Dest(IpvsCodec.CmdDelDest, service, dest, "IPVS_CMD_DEL_DEST");

    /// <summary>lvs_timeouts: tcp, tcpfin and udp in seconds; 0 leaves one unchanged.</summary>
    public void SetTimeouts(uint tcp, uint tcpFin, uint udp) =>
        Send("IPVS_CMD_SET_CONFIG", seq => IpvsCodec.WriteTimeouts(_writer, _family, seq, tcp, tcpFin, udp));

    /// <summary>The connection timeouts now in force (IPVS_CMD_GET_CONFIG).</summary>
    public IpvsTimeouts GetTimeouts()
    {
        IpvsTimeouts? timeouts = null;
        Send("IPVS_CMD_GET_CONFIG", seq => IpvsCodec.WriteCommand(_writer, _family, IpvsCodec.CmdGetConfig, seq),
            (in NetlinkMessage m) => timeouts = IpvsCodec.ParseTimeouts(m));
        return timeouts ?? throw new KernelException(Errno.EIO, "IPVS_CMD_GET_CONFIG", "no reply");
    }

    /// <summary>Removes every service and destination (lvs_flush, lvs_flush_onstop; ipvsadm -C).</summary>
    public void Flush() => Send("IPVS_CMD_FLUSH", seq => IpvsCodec.WriteCommand(_writer, _family, IpvsCodec.CmdFlush, seq));

    /// <summary>Starts a connection sync daemon (ipvsadm --start-daemon); EEXIST when one of that state runs.</summary>
    public void StartDaemon(IpvsSyncDaemon daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        Send($"IPVS_CMD_NEW_DAEMON {daemon.State} {daemon.Interface} syncid {daemon.SyncId}", seq => IpvsCodec.WriteNewDaemon(_writer, _family, seq, daemon));
    }

    /// <summary>Stops the master or backup sync daemon (ipvsadm --stop-daemon); ESRCH when none runs.</summary>
    public void StopDaemon(IpvsSyncState state) =>
        Send($"IPVS_CMD_DEL_DAEMON {state}", seq => IpvsCodec.WriteDelDaemon(_writer, _family, seq, state));

    /// <summary>The sync daemons the kernel runs (ipvsadm -L --daemon).</summary>
    public IReadOnlyList<IpvsSyncDaemon> ListDaemons()
    {
        var list = new List<IpvsSyncDaemon>();
        lock (_lock)
        {
            _writer.Clear();
            var seq = _genl.Socket.NextSequence();
            IpvsCodec.WriteDumpDaemons(_writer, _family, seq);
            _genl.Socket.Dump(_writer, seq, "IPVS_CMD_GET_DAEMON", (in NetlinkMessage m) =>
            {
                if (IpvsCodec.TryParseDaemon(m, out var d)) list.Add(d);
            });
        }
        return list;
    }

    /// <summary>Every service in the kernel's table.</summary>
    public IReadOnlyList<IpvsService> ListServices()
    {
        var list = new List<IpvsService>();
        lock (_lock)
        {
            _writer.Clear();
            var seq = _genl.Socket.NextSequence();
            IpvsCodec.WriteDumpServices(_writer, _family, seq);
            _genl.Socket.Dump(_writer, seq, "IPVS_CMD_GET_SERVICE", (in NetlinkMessage m) =>
            {
                if (IpvsCodec.TryParseService(m, out var s)) list.Add(s);
            });
        }
        return list;
    }

    /// <summary>The destinations of one service.</summary>
    public IReadOnlyList<IpvsDestination> ListDestinations(IpvsService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var list = new List<IpvsDestination>();
        lock (_lock)
        {
            _writer.Clear();
            var seq = _genl.Socket.NextSequence();
            IpvsCodec.WriteDumpDestinations(_writer, _family, seq, service);
            _genl.Socket.Dump(_writer, seq, "IPVS_CMD_GET_DEST", (in NetlinkMessage m) =>
            {
                if (IpvsCodec.TryParseDestination(m, service.Family, out var d)) list.Add(d);
            });
        }
        return list;
    }

    public void Dispose() => _genl.Dispose();

    private void Service(byte command, IpvsService service, string what)
    {
        ArgumentNullException.ThrowIfNull(service);
        Send($"{what} {Describe(service)}", seq => IpvsCodec.WriteService(_writer, _family, command, seq, service));
    }

    private void Dest(byte command, IpvsService service, IpvsDestination dest, string what)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(dest);
        Send($"{what} {dest.Address}:{dest.Port} of {Describe(service)}", seq => IpvsCodec.WriteDestination(_writer, _family, command, seq, service, dest));
    }

    private void Send(string what, Action<uint> write, NetlinkMessageHandler? onReply = null)
    {
        lock (_lock)
        {
            _writer.Clear();
            var seq = _genl.Socket.NextSequence();
            write(seq);
            var (errno, detail) = _genl.Socket.Request(_writer, seq, what, onReply);
            if (errno != Errno.None) throw new KernelException(errno, what, detail);
        }
    }

    private static string Describe(IpvsService s) =>
        s.Fwmark != 0 ? FormattableString.Invariant($"FWM {s.Fwmark}{(s.Family == AddressFamily.InterNetworkV6 ? " IPv6" : "")}")
            : $"{s.Protocol} {s.Address}:{s.Port}";
}
