#!/usr/bin/python3
"""TCP listeners that count accepted connections: the real number of TCP checks a checker did.

Usage: count-listener.py ADDRESS FIRST-PORT LAST-PORT COUNT-FILE
Accepts on every port, closes each connection at once, counts it. On SIGUSR1 writes
"<total> <port>:<n> ..." to COUNT-FILE (via a temporary file and rename, so a reader never sees half).
Runs until SIGTERM. One thread, non-blocking sockets, so it keeps up with thousands of connects a second.
The kernel completes a handshake before accept(), so a slow listener lags the checks; the benchmark
counts with the kernel's TCP PassiveOpens and uses these counts as a cross-check.
"""
import os
import selectors
import signal
import socket
import sys

address, first, last, count_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
counts = {}
sel = selectors.DefaultSelector()
for port in range(first, last + 1):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen(4096)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, port)
    counts[port] = 0

dump_wanted = False
running = True


def on_usr1(_signum, _frame):
    global dump_wanted
    dump_wanted = True


def on_term(_signum, _frame):
    global running
    running = False


def dump():
    total = sum(counts.values())
    tmp = count_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(total) + " " + " ".join(f"{p}:{n}" for p, n in sorted(counts.items())) + "\n")
    os.rename(tmp, count_file)


# A signal wakes select() at once (the handler alone would wait for the select timeout).
wake_r, wake_w = socket.socketpair()
wake_r.setblocking(False)
wake_w.setblocking(False)
signal.set_wakeup_fd(wake_w.fileno())
sel.register(wake_r, selectors.EVENT_READ, None)
signal.signal(signal.SIGUSR1, on_usr1)
signal.signal(signal.SIGTERM, on_term)
with open(count_file + ".ready", "w") as f:
    f.write("ready\n")
while running:
    for key, _ in sel.select(timeout=0.2):
        if key.data is None:
            try:
                wake_r.recv(256)
            except BlockingIOError:
                pass
            continue
        for _ in range(64):   # bounded, so a flood of connects cannot starve the dump below
            try:
                conn, _ = key.fileobj.accept()
            except (BlockingIOError, InterruptedError):
                break
            counts[key.data] += 1
            conn.close()
    if dump_wanted:
        dump_wanted = False
        dump()
dump()
