namespace Vigil.Checks.Probes;

/// <summary>TCP_CHECK: the check passes when a TCP connection opens within connect_timeout.</summary>
public sealed class TcpProbe(ProbeTarget target) : ICheckProbe
{
    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        using var cts = target.StartTimeout(cancellationToken);
        try
        {
            using var socket = await target.ConnectTcpAsync(cts.Token).ConfigureAwait(false);
            return CheckResult.Ok;
        }
#pragma warning disable CA1031 // A probe reports failures, it does not throw them.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ProbeErrors.From(e, $"TCP connect to {target.Endpoint}", cancellationToken);
        }
    }
}
