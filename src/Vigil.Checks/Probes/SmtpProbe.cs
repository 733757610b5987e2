using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>SMTP_CHECK: a 220 banner, HELO answered with 250, then QUIT (RFC 5321 §4.2, §4.1.1.1).</summary>
public sealed class SmtpProbe(ProbeTarget target, SmtpCheckOptions options) : ICheckProbe
{
    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var cts = target.StartTimeout(cancellationToken);
        var what = $"SMTP to {target.Endpoint}";
        try
        {
            using var socket = await target.ConnectTcpAsync(cts.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var reader = new ReplyReader(stream);

            var banner = await reader.ReadReplyAsync(cts.Token).ConfigureAwait(false);
            if (banner != 220) return CheckResult.Fail($"{what}: banner code {Code(banner)}, expected 220");

            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HELO {options.HeloName}\r\n"), cts.Token).ConfigureAwait(false);
            var helo = await reader.ReadReplyAsync(cts.Token).ConfigureAwait(false);
            if (helo != 250) return CheckResult.Fail($"{what}: HELO answered {Code(helo)}, expected 250");

            await stream.WriteAsync("QUIT\r\n"u8.ToArray(), cts.Token).ConfigureAwait(false);
            return CheckResult.Ok;
        }
#pragma warning disable CA1031 // A probe reports failures, it does not throw them.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ProbeErrors.From(e, what, cancellationToken);
        }
    }

    private static string Code(int code) => code < 0 ? "none" : code.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads SMTP replies, following "NNN-" continuation lines to the final "NNN ".</summary>
    private sealed class ReplyReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        /// <summary>The reply code, or -1 when the server closed or sent garbage.</summary>
        public async Task<int> ReadReplyAsync(CancellationToken cancellationToken)
        {
            for (var lines = 0; lines < 100; lines++)
            {
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null || line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return -1;
                if (line.Length == 3 || line[3] != '-') return code;
            }
            return -1;
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (nl >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, nl - _start).TrimEnd('\r');
                    _start = nl + 1;
                    return line;
                }
                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                if (_end == _buffer.Length) return null;
                var n = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
                if (n == 0) return null;
                _end += n;
            }
        }
    }
}
