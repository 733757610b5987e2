using System.Net;

namespace Vigil.Balancing.Model;

/// <summary>A configured real server: its identity, configured spec (weight from config) and inhibit_on_failure.</summary>
public sealed record RealServerModel(DestinationKey Key, DestinationSpec Spec, bool InhibitOnFailure = false);

/// <summary>sorry_server IP PORT with its forwarding method (sorry_server_lvs_method, else the service's).</summary>
public sealed record SorryServerModel(DestinationKey Key, ForwardingMethod Method);

/// <summary>
/// One virtual_server block after group expansion: the services it programs (one for an address or
/// fwmark, several for a virtual_server_group), how they schedule, and their real servers.
/// </summary>
public sealed record VirtualServerModel(
    string Name,
    IReadOnlyList<ServiceKey> Services,
    ServiceSpec Spec,
    IReadOnlyList<RealServerModel> RealServers,
    SorryServerModel? SorryServer = null,
    bool SorryServerInhibit = false);

/// <summary>What the checkers say about one real server.</summary>
public readonly record struct RealServerHealthView(bool Alive, int Weight);

/// <summary>What the checkers and the quorum say about one virtual server.</summary>
/// <param name="SorryServerActive">Quorum is lost and a sorry server is configured: it serves instead.</param>
public sealed record VirtualServerHealth(bool SorryServerActive, IReadOnlyDictionary<DestinationKey, RealServerHealthView> RealServers)
{
    public static readonly VirtualServerHealth AllAlive = new(false, new Dictionary<DestinationKey, RealServerHealthView>());
}

/// <summary>Expands virtual_server_group entries into service keys.</summary>
public static class ServiceKeys
{
    /// <summary>The most services one range may produce (a /16's worth), to keep a typo from exploding.</summary>
    public const int MaxRange = 65536;

    /// <summary>a.b.c.d-e [port]: every address from <paramref name="first"/> to <paramref name="last"/> inclusive.</summary>
    public static IReadOnlyList<ServiceKey> Range(IPAddress first, IPAddress? last, int port, ServiceProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(first);
        if (last is null) return [ServiceKey.ForAddress(first, port, protocol)];
        if (first.AddressFamily != last.AddressFamily) throw new ArgumentException($"range {first}-{last} mixes address families", nameof(last));
        var a = new System.Numerics.BigInteger(first.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var b = new System.Numerics.BigInteger(last.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        if (b < a) throw new ArgumentException($"range {first}-{last} ends before it starts", nameof(last));
        if (b - a >= MaxRange) throw new ArgumentException($"range {first}-{last} has more than {MaxRange} addresses", nameof(last));
        var size = first.GetAddressBytes().Length;
        var keys = new List<ServiceKey>((int)(b - a + 1));
        for (var x = a; x <= b; x++)
        {
            var bytes = x.ToByteArray(isUnsigned: true, isBigEndian: true);
            var padded = new byte[size];
            bytes.CopyTo(padded, size - bytes.Length);
            keys.Add(ServiceKey.ForAddress(new IPAddress(padded), port, protocol));
        }
        return keys;
    }
}
