using System.Net;
using System.Net.NetworkInformation;

namespace Vigil.Checks.Probes;

/// <summary>Sends one ICMP or ICMPv6 echo; implemented by System.Net.NetworkInformation.Ping by default.</summary>
public interface IEchoSender
{
    /// <summary>True when an echo reply came back within <paramref name="timeout"/>; else false with a reason.</summary>
    Task<(bool Replied, string? Reason)> SendAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>The managed echo sender (raw ICMP as root, datagram ICMP or ping(8) otherwise).</summary>
public sealed class ManagedEchoSender : IEchoSender
{
    public static ManagedEchoSender Instance { get; } = new();

    public async Task<(bool Replied, string? Reason)> SendAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var ping = new Ping();
        var reply = await ping.SendPingAsync(address, timeout, new byte[56], null, cancellationToken).ConfigureAwait(false);
        return reply.Status == IPStatus.Success ? (true, null) : (false, reply.Status.ToString());
    }
}

/// <summary>PING_CHECK: one echo request, answered within connect_timeout.</summary>
public sealed class PingProbe(ProbeTarget target, IEchoSender? sender = null) : ICheckProbe
{
    private readonly IEchoSender _sender = sender ?? ManagedEchoSender.Instance;

    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        using var cts = target.StartTimeout(cancellationToken);
        var what = $"ping {target.Endpoint.Address}";
        try
        {
            var (replied, reason) = await _sender.SendAsync(target.Endpoint.Address, target.ConnectTimeout, cts.Token).ConfigureAwait(false);
            return replied ? CheckResult.Ok : CheckResult.Fail($"{what}: {reason}");
        }
#pragma warning disable CA1031 // A probe reports failures, it does not throw them.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ProbeErrors.From(e is PingException { InnerException: { } inner } ? inner : e, what, cancellationToken);
        }
    }
}
