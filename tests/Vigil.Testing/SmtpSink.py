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
