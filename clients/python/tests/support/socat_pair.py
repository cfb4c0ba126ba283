"""A real pseudo-serial line from socat: the bridge opens `a`, the test's instrument is on `b`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .waiting import until_sync


class SocatPair:
    """`unplug()` kills socat (a real disconnect); `plug()` starts it again on the same links."""

    def __init__(self, folder: Path) -> None:
        self.a = str(folder / "tty-a")
        self.b = str(folder / "tty-b")
        self._proc: subprocess.Popen[bytes] | None = None

    def plug(self) -> None:
        if self._proc is not None:
            return
        self._proc = subprocess.Popen(
            ["socat", f"pty,raw,echo=0,link={self.a}", f"pty,raw,echo=0,link={self.b}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        until_sync(lambda: os.path.exists(self.a) and os.path.exists(self.b), "socat links", 10)

    def unplug(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.terminate()
        proc.wait(10)
        until_sync(
            lambda: not os.path.lexists(self.a) and not os.path.lexists(self.b),
            "socat links removed",
            10,
        )
