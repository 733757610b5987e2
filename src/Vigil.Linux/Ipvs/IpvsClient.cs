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

    /// <summary>lvs_timeouts.</summary>
    public void SetTimeouts(uint tcp, uint tcpFin, uint udp) =>
        Send("IPVS_CMD_SET_CONFIG", seq => IpvsCodec.WriteTimeouts(_writer, _family, seq, tcp, tcpFin, udp));

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

    private void Send(string what, Action<uint> write)
    {
        lock (_lock)
        {
            _writer.Clear();
            var seq = _genl.Socket.NextSequence();
            write(seq);
            var (errno, detail) = _genl.Socket.Request(_writer, seq, what);
            if (errno != Errno.None) throw new KernelException(errno, what, detail);
        }
    }

    private static string Describe(IpvsService s) =>
        s.Fwmark != 0 ? FormattableString.Invariant($"FWM {s.Fwmark}{(s.Family == AddressFamily.InterNetworkV6 ? " IPv6" : "")}")
            : $"{s.Protocol} {s.Address}:{s.Port}";
}
