"""A pty whose master end plays a test's instrument, with nothing in between (no socat).

The slave's name is linked at argv[1] for the bridge to open. Commands come on stdin, one JSON
object per line: {"say": "<base64>"} sends bytes to the bridge (answered once they are all in
the pty), {"reading": false|true} stops or resumes reading what the bridge writes, and
{"queued": true} asks how many bytes the bridge wrote that wait unread. Each is answered
{"done": n, ...}, n counting commands; what is read goes to stdout as {"heard": "<base64>"}.
Unlike socat, a master that stops reading still delivers what it says, so the bridge can be
made to read while its write waits.
"""

import array
import base64
import fcntl
import json
import os
import pty
import select
import sys
import termios
import tty

master, slave = pty.openpty()
tty.setraw(slave)
# Held open here, so the master never reads EIO while the bridge has the port closed.
os.symlink(os.ttyname(slave), sys.argv[1])
os.set_blocking(master, False)
stdin = sys.stdin.fileno()
reading = True
commands = 0
unparsed = b""
# Bytes to say, each with the command number to answer once they are all written.
outgoing = []


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def queued():
    count = array.array("i", [0])
    fcntl.ioctl(master, termios.FIONREAD, count)
    return count[0]


def run(command):
    global reading
    if "say" in command:
        outgoing.append([base64.b64decode(command["say"]), commands])
        return
    if "reading" in command:
        reading = command["reading"]
    answer = {"done": commands}
    if "queued" in command:
        answer["queued"] = queued()
    send(answer)


send({"ready": True})
while True:
    readable = [stdin] + ([master] if reading else [])
    writable = [master] if outgoing else []
    ready, room, _ = select.select(readable, writable, [])
    if master in ready:
        send({"heard": base64.b64encode(os.read(master, 65536)).decode()})
    if master in room:
        entry = outgoing[0]
        try:
            entry[0] = entry[0][os.write(master, entry[0]) :]
        except BlockingIOError:
            pass
        if not entry[0]:
            outgoing.pop(0)
            send({"done": entry[1]})
    if stdin in ready:
        chunk = os.read(stdin, 65536)
        if not chunk:
            break
        unparsed += chunk
        while b"\n" in unparsed:
            line, unparsed = unparsed.split(b"\n", 1)
            commands += 1
            run(json.loads(line))
