using System.Net;
using System.Net.Sockets;

namespace Vigil.Linux.Nftables;

public enum NftProtocol
{
    Tcp,
    Udp,
    Sctp,
}

/// <summary>
/// The IPVS schedulers nftables can express statelessly. lc, wlc, sed, nq, lblc, lblcr and ovf need
/// connection counts, which numgen and jhash do not have.
/// </summary>
public enum NftScheduler
{
    /// <summary>rr: numgen inc over one slot per live backend.</summary>
    RoundRobin,

    /// <summary>wrr: numgen inc over weight-sized intervals.</summary>
    WeightedRoundRobin,

    /// <summary>sh: jhash of the source address (and port with sh-port) over weight-sized intervals.</summary>
    SourceHash,

    /// <summary>dh: jhash of the destination address over weight-sized intervals.</summary>
    DestinationHash,

    /// <summary>mh: jhash into a Maglev lookup table (consistent: one backend leaving moves only its share).</summary>
    Maglev,

    /// <summary>fo: everything to the live backend with the highest weight.</summary>
    WeightedFailover,
}

/// <summary>A real server behind an nftables virtual service. Port 0 keeps the packet's port.</summary>
public sealed record NftBackend(IPAddress Address, int Port, int Weight);

/// <summary>
/// One virtual service: address+protocol+port, or a firewall mark (with the family it is for), and
/// its live backends (weight 0 takes no new connections, as in IPVS).
/// </summary>
public sealed record NftService(
    AddressFamily Family,
    NftProtocol Protocol,
    IPAddress? Address,
    int Port,
    uint Fwmark,
    NftScheduler Scheduler,
    IReadOnlyList<NftBackend> Backends,
    bool HashPort = false)
{
    /// <summary>Parses an IPVS scheduler name; null when nftables cannot express it.</summary>
    public static NftScheduler? ParseScheduler(string name) => name switch
    {
        "rr" => NftScheduler.RoundRobin,
        "wrr" => NftScheduler.WeightedRoundRobin,
        "sh" => NftScheduler.SourceHash,
        "dh" => NftScheduler.DestinationHash,
        "mh" => NftScheduler.Maglev,
        "fo" => NftScheduler.WeightedFailover,
        _ => null,
    };

    public const string SupportedSchedulers = "rr, wrr, sh, dh, mh, fo";

    /// <summary>The chain name in vigil's table: stable across restarts and reloads.</summary>
    public string ChainName
    {
        get
        {
            var v6 = Family == AddressFamily.InterNetworkV6 ? "6" : "4";
            if (Fwmark != 0) return FormattableString.Invariant($"fwm{v6}_{Fwmark}");
            var addr = Convert.ToHexStringLower(Address!.GetAddressBytes());
            return FormattableString.Invariant($"vs{v6}_{addr}_{Protocol.ToString().ToLowerInvariant()}_{Port}");
        }
    }
}
