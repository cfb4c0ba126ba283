"""A real Serial Bridge in headless mode, started as `node scripts/headless.mjs --config FILE`."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import ssl
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import websockets

from .waiting import until_sync

REPO_ROOT = Path(__file__).resolve().parents[4]
_LISTENING = re.compile(r"^listening on (wss?://\S+)$")
_FINGERPRINT = re.compile(r"^tls: SHA-256 fingerprint (\S+)$")


_UNCHECKED = ssl.create_default_context()
_UNCHECKED.check_hostname = False
_UNCHECKED.verify_mode = ssl.CERT_NONE


class HeadlessBridge:
    """`start()` prints nothing until the bridge says where it listens; `kill()` is a crash;
    `restart()` starts it again on the same TCP port."""

    def __init__(self, settings: dict[str, Any], folder: Path) -> None:
        self.settings = settings
        self.config = folder / "bridge.json"
        self._stderr_path = folder / "bridge.stderr"
        self._proc: subprocess.Popen[str] | None = None
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self.url = ""
        self.port = 0

    def start(self, port: int | None = None) -> str:
        settings = json.loads(json.dumps(self.settings))
        settings.setdefault("server", {})["port"] = self.port if port is None else port
        self.config.write_text(json.dumps(settings))
        self._lines = []
        stderr = open(self._stderr_path, "a")
        self._proc = subprocess.Popen(
            ["node", "scripts/headless.mjs", "--config", str(self.config)],
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        stderr.close()
        threading.Thread(target=self._read_stdout, args=(self._proc,), daemon=True).start()
        match = self._wait_line(_LISTENING, 60)
        self.url = match.group(1)
        self.port = int(self.url.rsplit(":", 1)[1])
        return self.url

    @property
    def fingerprint(self) -> str:
        """With `server.tls`: the certificate's fingerprint, as headless mode prints it."""
        return self._wait_line(_FINGERPRINT, 10).group(1)

    def wait_open(self, port_id: str = "meter") -> None:
        """Ports open after the server listens: wait until `port_id` is open (read from hello)."""
        # On a thread of its own: an async test calling this already runs an event loop.
        with ThreadPoolExecutor(1) as worker:

            def is_open() -> bool:
                return worker.submit(asyncio.run, self._state_of(port_id)).result() == "open"

            until_sync(is_open, f"{port_id} to open")

    async def _state_of(self, port_id: str) -> str | None:
        token = self.settings.get("server", {}).get("token")
        url = f"{self.url}/ws" + (f"?token={token}" if token else "")
        # Readiness only: a TLS bridge's self-signed certificate is not checked here.
        tls = {"ssl": _UNCHECKED} if url.startswith("wss:") else {}
        async with websockets.connect(url, **tls) as ws:  # type: ignore[attr-defined]
            hello = json.loads(await ws.recv())
        return next((p["state"] for p in hello["ports"] if p["id"] == port_id), None)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(sig)
        proc.wait(30)

    def restart(self) -> str:
        """Kills the bridge and starts a new one on the same port (a new epoch)."""
        self.kill()
        return self.start(self.port)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    @property
    def stderr(self) -> str:
        return self._stderr_path.read_text() if self._stderr_path.exists() else ""

    def _read_stdout(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            with self._changed:
                self._lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def _wait_line(self, pattern: re.Pattern[str], timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self._lines:
                    found = pattern.match(line)
                    if found:
                        return found
                proc = self._proc
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"headless bridge exited ({proc.returncode}): {self.stderr}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"no 'listening on' line within {timeout} s: {self.stderr}")
                self._changed.wait(min(left, 0.5))
