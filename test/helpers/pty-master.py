"""A pty whose master end plays a test's instrument, with nothing in between (no socat).

The slave's name is linked at argv[1] for the bridge to open. Commands come on stdin, one JSON
object per line: {"say": "<base64>"} writes bytes to the bridge, {"reading": false|true} stops
or resumes reading what the bridge writes. Each is answered {"done": n}, n counting commands;
what is read goes to stdout as {"heard": "<base64>"}. Unlike socat, a master that stops reading
still delivers what it says, so the bridge can be made to read while its write waits.
"""

import base64
import json
import os
import pty
import select
import sys
import tty

master, slave = pty.openpty()
tty.setraw(slave)
os.symlink(os.ttyname(slave), sys.argv[1])
reading = True
done = 0
pending = b""


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


send({"ready": True})
while True:
    watched = [sys.stdin.fileno()] + ([master] if reading else [])
    ready, _, _ = select.select(watched, [], [])
    if master in ready:
        try:
            send({"heard": base64.b64encode(os.read(master, 65536)).decode()})
        except OSError:
            pass  # no slave open at the moment
    if sys.stdin.fileno() in ready:
        chunk = os.read(sys.stdin.fileno(), 65536)
        if not chunk:
            break
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            command = json.loads(line)
            if "say" in command:
                os.write(master, base64.b64decode(command["say"]))
            if "reading" in command:
                reading = command["reading"]
            done += 1
            send({"done": done})
