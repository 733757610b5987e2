using System.Globalization;
using System.Text;

namespace Vigil.Alerts;

/// <summary>An SMTP exchange that did not end in a queued message; the text says which step and what the server said.</summary>
internal sealed class SmtpException(string message) : IOException(message);

/// <summary>
/// The client side of one SMTP conversation (RFC 5321) over a connected stream: greeting, HELO, MAIL FROM,
/// RCPT TO per recipient, DATA with dot-stuffing, QUIT. Only what an alerting daemon needs: no TLS, no AUTH,
/// no pipelining. Each reply is awaited at most <c>stepTimeout</c> (keepalived's smtp_connect_timeout).
/// </summary>
internal static class SmtpSession
{
    private const int MaxReplyLines = 100;
    private const int MaxLineBytes = 4096;

    /// <summary>Sends one message; throws <see cref="SmtpException"/> naming the failed step, or IOException / OperationCanceledException.</summary>
    public static async Task SendAsync(Stream stream, string heloName, string from, IReadOnlyList<string> recipients, string data,
        TimeSpan stepTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var reader = new ReplyReader(stream);
        async Task<int> Step(string? command, string step, params int[] expected)
        {
            using var timeout = new CancellationTokenSource(stepTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                if (command is not null)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), linked.Token).ConfigureAwait(false);
                }
                var (code, text) = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
                if (Array.IndexOf(expected, code) < 0)
                {
                    throw new SmtpException(string.Create(CultureInfo.InvariantCulture, $"{step}: server replied {code} {text}"));
                }
                return code;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new SmtpException($"{step}: no reply within {stepTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            }
        }

        await Step(null, "greeting", 220).ConfigureAwait(false);
        // keepalived compat: HELO, not EHLO (observed).
        await Step("HELO " + heloName, "HELO", 250).ConfigureAwait(false);
        await Step($"MAIL FROM:<{from}>", "MAIL FROM", 250).ConfigureAwait(false);
        var accepted = 0;
        var lastRefusal = "";
        foreach (var recipient in recipients)
        {
            try
            {
                await Step($"RCPT TO:<{recipient}>", "RCPT TO " + recipient, 250, 251).ConfigureAwait(false);
                accepted++;
            }
            catch (SmtpException e)
            {
                // One refused address must not cost the others their mail.
                lastRefusal = e.Message;
            }
        }
        if (accepted == 0)
        {
            throw new SmtpException(lastRefusal.Length > 0 ? lastRefusal : "no recipients");
        }
        await Step("DATA", "DATA", 354).ConfigureAwait(false);
        await Step(DotStuff(data) + "\r\n.", "end of DATA", 250).ConfigureAwait(false);
        try
        {
            await Step("QUIT", "QUIT", 221).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SmtpException or IOException)
        {
            // The message is queued; a rude goodbye does not undo that.
        }
    }

    /// <summary>RFC 5321 §4.5.2: a line starting with a dot gets one more; line ends become CRLF.</summary>
    internal static string DotStuff(string data)
    {
        var lines = data.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('.'))
            {
                lines[i] = "." + lines[i];
            }
        }
        return string.Join("\r\n", lines);
    }

    /// <summary>Reads replies: lines "NNN-text" continue, "NNN text" ends one (RFC 5321 §4.2.1).</summary>
    private sealed class ReplyReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[MaxLineBytes];
        private int _start;
        private int _end;

        public async Task<(int Code, string Text)> ReadAsync(CancellationToken cancellationToken)
        {
            for (var lines = 0; lines < MaxReplyLines; lines++)
            {
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                {
                    throw new SmtpException($"malformed reply '{line}'");
                }
                if (line.Length == 3 || line[3] != '-')
                {
                    return (code, line.Length > 4 ? line[4..] : "");
                }
            }
            throw new SmtpException("reply too long");
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                    _start = newline + 1;
                    return line;
                }
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                if (_end == _buffer.Length)
                {
                    throw new SmtpException("reply line too long");
                }
                var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new SmtpException("server closed the connection");
                }
                _end += read;
            }
        }
    }
}
