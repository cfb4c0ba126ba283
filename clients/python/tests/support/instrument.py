"""The far end of a socat pair, played with pyserial: writes lines, records and answers commands."""

from __future__ import annotations

import threading
from typing import Callable

import serial


class Instrument:
    def __init__(self, path: str) -> None:
        self._port = serial.Serial(path, 115200, timeout=0.05)
        self._lock = threading.Lock()
        self._received = bytearray()
        self._answers: dict[str, bytes] = {}
        self._stopping = threading.Event()
        self._reader = threading.Thread(target=self._read, name="instrument", daemon=True)
        self._reader.start()

    def write(self, data: bytes | str) -> None:
        self._port.write(data.encode() if isinstance(data, str) else data)
        self._port.flush()

    def line(self, text: str) -> None:
        self.write(text + "\n")

    def chatter(self, prefix: str, every: float = 0.05) -> Callable[[], int]:
        """Sends `prefix-1`, `prefix-2`, ... every `every` s until the returned stop() is called;
        stop() returns how many lines were sent. Writes to a line nobody has open are lost."""
        stopping = threading.Event()
        sent = 0

        def talk() -> None:
            nonlocal sent
            while not stopping.wait(every):
                try:
                    self.line(f"{prefix}-{sent + 1}")
                except (serial.SerialException, OSError):
                    return
                sent += 1

        thread = threading.Thread(target=talk, name="chatter", daemon=True)
        thread.start()

        def stop() -> int:
            stopping.set()
            thread.join(5)
            return sent

        return stop

    def answer(self, command: str, reply: str) -> None:
        """From now on, a line `command` is answered with the line `reply`."""
        with self._lock:
            self._answers[command] = (reply + "\n").encode()

    def received(self) -> bytes:
        with self._lock:
            return bytes(self._received)

    def lines(self) -> list[str]:
        return self.received().decode(errors="replace").split("\n")[:-1]

    def close(self) -> None:
        self._stopping.set()
        self._reader.join(5)
        self._port.close()

    def _read(self) -> None:
        pending = b""
        while not self._stopping.is_set():
            try:
                chunk = self._port.read(4096)
            except (serial.SerialException, OSError):
                return  # socat went away: an unplug
            if not chunk:
                continue
            with self._lock:
                self._received += chunk
                answers = dict(self._answers)
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for line in complete:
                reply = answers.get(line.decode(errors="replace"))
                if reply is not None:
                    self.write(reply)
