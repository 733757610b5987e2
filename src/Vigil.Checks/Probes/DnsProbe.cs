using System.Net.Sockets;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>DNS_CHECK: one UDP query (type, name); passes on a matching response with at least one answer.</summary>
public sealed class DnsProbe(ProbeTarget target, DnsCheckOptions options) : ICheckProbe
{
    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var cts = target.StartTimeout(cancellationToken);
        var what = $"DNS {options.Type} {options.Name} to {target.Endpoint}";
        try
        {
            using var socket = target.CreateSocket(SocketType.Dgram, ProtocolType.Udp);
            await socket.ConnectAsync(target.Endpoint, cts.Token).ConfigureAwait(false);
            var id = (ushort)Random.Shared.Next(0, 65536);
            await socket.SendAsync(DnsMessage.BuildQuery(id, options.Name, options.Type), SocketFlags.None, cts.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            for (var attempts = 0; attempts < 16; attempts++)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
                var verdict = DnsMessage.Judge(buffer.AsSpan(0, n), id);
                // A stray datagram with another id is ignored, as resolvers do.
                if (verdict == "DNS response id mismatch") continue;
                return verdict is null ? CheckResult.Ok : CheckResult.Fail($"{what}: {verdict}");
            }
            return CheckResult.Fail($"{what}: no matching response");
        }
#pragma warning disable CA1031 // A probe reports failures, it does not throw them.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ProbeErrors.From(e, what, cancellationToken);
        }
    }
}
