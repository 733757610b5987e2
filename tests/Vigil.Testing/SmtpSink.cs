using System.Text.Json;

namespace Vigil.Testing;

/// <summary>One message the lab SMTP sink accepted: greeting verb (HELO/EHLO) and name, envelope, DATA (lines joined by LF).</summary>
public sealed record LabMail(string Greeting, string Helo, string From, IReadOnlyList<string> To, string Data)
{
    /// <summary>The value of a header of the message (first match), or null.</summary>
    public string? Header(string name) =>
        Data.Split('\n').TakeWhile(l => l.Length > 0).FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.OrdinalIgnoreCase))?[(name.Length + 2)..];

    /// <summary>The lines after the blank line that ends the headers.</summary>
    public IReadOnlyList<string> Body => Data.Split('\n').SkipWhile(l => l.Length > 0).Skip(1).ToList();
}

/// <summary>
/// An SMTP sink for lab tests: a small Python SMTP server run inside a host's namespace (so a daemon there
/// reaches it on 127.0.0.1), appending each message as a JSON line to a file the test reads.
/// </summary>
public sealed class LabSmtpSink
{
    private LabSmtpSink(LabProcess process, string output, int port)
    {
        Process = process;
        OutputPath = output;
        Port = port;
    }

    public LabProcess Process { get; }

    public string OutputPath { get; }

    public int Port { get; }

    /// <summary>Starts the sink on 127.0.0.1:<paramref name="port"/> in <paramref name="host"/> and waits until it listens.</summary>
    public static async Task<LabSmtpSink> StartAsync(Lab lab, LabHost host, int port = 2525)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(host);
        var script = lab.WriteFile("smtp-sink", "py", Source);
        var output = lab.NewPath($"mail-{host.Name}", "jsonl");
        var ready = lab.NewPath($"smtp-ready-{host.Name}", "txt");
        var process = lab.Start(host, "smtp-sink", "python3", [script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), output, ready]);
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(ready)), TimeSpan.FromSeconds(10), "the SMTP sink to listen", lab.DiagnosticsAsync).ConfigureAwait(false);
        return new LabSmtpSink(process, output, port);
    }

    /// <summary>The messages received so far, in arrival order.</summary>
    public IReadOnlyList<LabMail> Messages()
    {
        if (!File.Exists(OutputPath))
        {
            return [];
        }
        var list = new List<LabMail>();
        foreach (var line in File.ReadAllLines(OutputPath).Where(l => l.Length > 0))
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            list.Add(new LabMail(r.GetProperty("greeting").GetString() ?? "", r.GetProperty("helo").GetString() ?? "",
                r.GetProperty("from").GetString() ?? "", r.GetProperty("to").EnumerateArray().Select(t => t.GetString() ?? "").ToList(),
                r.GetProperty("data").GetString() ?? ""));
        }
        return list;
    }

    /// <summary>Waits until a message matching <paramref name="match"/> arrived; returns it.</summary>
    public async Task<LabMail> WaitForAsync(Func<LabMail, bool> match, TimeSpan timeout, string description, Lab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        LabMail? found = null;
        await Poll.UntilAsync(() => Task.FromResult((found = Messages().FirstOrDefault(match)) is not null), timeout, description, lab.DiagnosticsAsync).ConfigureAwait(false);
        return found!;
    }

    /// <summary>The sink itself (Python 3 standard library only).</summary>
    public const string Source = """"
#!/usr/bin/env python3
"""A one-file SMTP sink for lab tests: listens on HOST PORT, accepts every message and appends it to OUT
as one JSON line {"greeting" (EHLO or HELO), "helo", "from", "to", "data"}. Enough SMTP for an alerting client: EHLO/HELO, MAIL,
RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT. Runs until killed; each connection has a 30 s idle limit.

usage: SmtpSink.py HOST PORT OUT [READY_FILE]
"""
import json
import socketserver
import sys


class Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, text):
        self.wfile.write((text + "\r\n").encode("ascii"))
        self.wfile.flush()

    def handle(self):
        greeting, helo, sender, rcpts = None, None, None, []
        self.reply("220 sink ESMTP ready")
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                greeting, helo = verb, command[5:].strip()
                self.reply("250 sink")
            elif verb == "MAIL":
                sender, rcpts = command[10:].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(command[8:].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    raw = self.rfile.readline(65536)
                    if not raw:
                        return
                    text = raw.decode("utf-8", "replace").rstrip("\r\n")
                    if text == ".":
                        break
                    lines.append(text[1:] if text.startswith("..") else text)
                record = {"greeting": greeting, "helo": helo, "from": sender, "to": rcpts, "data": "\n".join(lines)}
                with open(sys.argv[3], "a", encoding="utf-8") as out:
                    out.write(json.dumps(record) + "\n")
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    with Server((sys.argv[1], int(sys.argv[2])), Handler) as server:
        if len(sys.argv) > 4:
            with open(sys.argv[4], "w", encoding="utf-8") as ready:
                ready.write("ready\n")
        server.serve_forever()
"""";
}
