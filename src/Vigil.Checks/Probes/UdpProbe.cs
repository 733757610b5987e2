using System.Buffers;
using System.Net.Sockets;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>
/// UDP_CHECK: send the payload on a connected UDP socket. An ICMP unreachable (ECONNREFUSED and friends on
/// the connected socket) fails; silence passes unless require_reply; a reply must fit the length bounds
/// and the pattern.
/// </summary>
public sealed class UdpProbe(ProbeTarget target, UdpCheckOptions options) : ICheckProbe
{
    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var cts = target.StartTimeout(cancellationToken);
        var what = $"UDP to {target.Endpoint}";
        var buffer = ArrayPool<byte>.Shared.Rent(65536);
        try
        {
            using var socket = target.CreateSocket(SocketType.Dgram, ProtocolType.Udp);
            await socket.ConnectAsync(target.Endpoint, cts.Token).ConfigureAwait(false);
            var payload = options.Payload ?? RandomPayload();
            await socket.SendAsync(payload, SocketFlags.None, cts.Token).ConfigureAwait(false);

            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // keepalived compat: no reply and no ICMP error within connect_timeout is a pass, unless a reply is required.
                return options.RequireReply ? CheckResult.Fail($"{what}: no reply") : CheckResult.Ok;
            }
            return Judge(options, buffer.AsSpan(0, n), what);
        }
#pragma warning disable CA1031 // A probe reports failures, it does not throw them.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ProbeErrors.From(e, what, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static CheckResult Judge(UdpCheckOptions options, ReadOnlySpan<byte> reply, string what)
    {
        if (!options.RequireReply) return CheckResult.Ok;
        if (reply.Length < options.MinReplyLength || reply.Length > options.MaxReplyLength)
        {
            return CheckResult.Fail($"{what}: reply of {reply.Length} bytes outside [{options.MinReplyLength}, {options.MaxReplyLength}]");
        }
        if (options.ReplyPattern is { } pattern && !pattern.Matches(reply)) return CheckResult.Fail($"{what}: reply does not match");
        return CheckResult.Ok;
    }

    private static byte[] RandomPayload()
    {
        var bytes = new byte[16];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
