"""The WebSocket to the bridge's control endpoint, opened again with backoff when it drops."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake, WebSocketException

from .backoff import Backoff
from .errors import ConnectFailed, ConnectionLost
from .models import Stats
from .pinning import check_pin_target, normalize_fingerprint, pinned_context

log = logging.getLogger("serialbridge")

# The operator disconnected this client: coming straight back would undo that.
_KICKED = 1008

_REFUSALS = {
    401: "the bridge wants a token, or a different one (token=...)",
    403: "the bridge refused this client (its Host or Origin is not allowed)",
    404: "the bridge has no such endpoint (check the URL)",
    503: "the bridge has too many clients",
}


class LinkListener(Protocol):
    async def on_open(
        self, hello: dict[str, Any], send: Callable[[dict[str, Any]], Awaitable[None]]
    ) -> None:
        ...

    def on_message(self, message: dict[str, Any]) -> None:
        ...

    def on_drop(self, reason: str) -> None:
        ...

    def on_closed(self, error: str | None) -> None:
        ...


def control_url(url: str, token: str | None, client: str | None) -> str:
    """`ws://host:port` (or `.../ws`) with `/ws`, `?token=` and `?client=` as given."""
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss"):
        raise ConnectFailed(f"not a WebSocket URL (ws://... or wss://...): {url}")
    path = parts.path.rstrip("/")
    if not path.endswith("/ws"):
        path += "/ws"
    query = parse_qsl(parts.query)
    if token is not None:
        query.append(("token", token))
    if client is not None:
        query.append(("client", client))
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def redact(url: str) -> str:
    """The URL for messages and logs: never the token."""
    parts = urlsplit(url)
    query = [(k, "***" if k == "token" else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, safe="*"), ""))


def _close_code(error: ConnectionClosed) -> tuple[int, str]:
    # `rcvd` exists from websockets 10 on; `code`/`reason` are deprecated in later versions.
    rcvd = error.rcvd
    return (1006, "") if rcvd is None else (rcvd.code, rcvd.reason)


def _describe_close(code: int, reason: str) -> str:
    if code == 1006:
        return "the connection dropped (no close frame)"
    return f"the bridge closed the connection ({code}{' ' + reason if reason else ''})"


class Link:
    """Owns the socket: first connect, the read loop, reconnects, and the final close."""

    def __init__(
        self,
        url: str,
        listener: LinkListener,
        stats: Stats,
        *,
        reconnect: bool,
        max_attempts: int | None,
        open_timeout: float,
        heartbeat: float,
        max_message_bytes: int,
        backoff: Backoff,
        fingerprint: str | None = None,
    ) -> None:
        if fingerprint is not None:
            fingerprint = normalize_fingerprint(fingerprint)
            check_pin_target(url)
        self._fingerprint = fingerprint
        self._url = url
        self._listener = listener
        self._stats = stats
        self._reconnect = reconnect
        self._max_attempts = max_attempts
        self._open_timeout = open_timeout
        self._heartbeat = heartbeat
        self._max_message_bytes = max_message_bytes
        self._backoff = backoff
        self._ws: Any = None
        self._connected = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._finished = False

    @property
    def connected(self) -> bool:
        return self._ws is not None and self._connected.is_set()

    @property
    def safe_url(self) -> str:
        return redact(self._url)

    async def open(self) -> None:
        """The first connection: it must succeed, or this raises ConnectFailed."""
        ws, hello = await self._connect_once()
        await self._opened(ws, hello)
        self._task = asyncio.get_running_loop().create_task(self._run(ws))

    async def wait_connected(self, timeout: float) -> None:
        if self.connected:
            return
        if self._stopping.is_set():
            raise ConnectionLost("the connection to the bridge is closed")
        waits = [asyncio.ensure_future(e.wait()) for e in (self._connected, self._stopping)]
        try:
            await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
        if not self._connected.is_set() and not self._stopping.is_set():
            raise ConnectionLost(f"not connected to the bridge within {timeout:g} s")
        if not self.connected:
            raise ConnectionLost("the connection to the bridge is closed")

    async def send(self, message: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None or not self._connected.is_set():
            raise ConnectionLost("not connected to the bridge")
        await self._send_on(ws, message)

    async def close(self) -> None:
        self._stopping.set()
        ws = self._ws
        task = self._task
        if ws is not None:
            await ws.close(1000)
        elif task is not None and not task.done():
            task.cancel()  # between connections: do not wait for an attempt in progress
        if task is not None:
            try:
                await task
            except asyncio.CancelledError:
                pass
        self._finish(None)

    def _finish(self, error: str | None) -> None:
        self._ws = None
        self._connected.clear()
        if not self._finished:
            self._finished = True
            self._stopping.set()
            self._listener.on_closed(error)

    async def _send_on(self, ws: Any, message: dict[str, Any]) -> None:
        try:
            await ws.send(json.dumps(message))
        except ConnectionClosed:
            raise ConnectionLost("the connection to the bridge dropped") from None

    async def _connect_once(self) -> tuple[Any, dict[str, Any]]:
        tls: dict[str, Any] = {}
        if self._fingerprint is not None:
            tls["ssl"] = await pinned_context(self._url, self._fingerprint, self._open_timeout)
        try:
            ws = await websockets.connect(  # type: ignore[attr-defined]
                self._url,
                **tls,
                open_timeout=self._open_timeout,
                ping_interval=self._heartbeat,
                ping_timeout=self._heartbeat,
                close_timeout=2,
                max_size=self._max_message_bytes,
            )
        except InvalidHandshake as error:
            status = _status_of(error)
            why = _REFUSALS.get(status or 0, f"the bridge refused the connection: {error}")
            raise ConnectFailed(f"{self.safe_url}: {why}", status) from None
        except (OSError, asyncio.TimeoutError, WebSocketException) as error:
            detail = str(error) or type(error).__name__
            raise ConnectFailed(
                f"cannot connect to {self.safe_url}: {detail} (is Serial Bridge running?)",
                nobody_listening=isinstance(error, ConnectionRefusedError),
            ) from None
        try:
            raw = await asyncio.wait_for(ws.recv(), self._open_timeout)
            self._count(raw)
            hello = json.loads(raw)
            if not isinstance(hello, dict) or hello.get("type") != "hello":
                raise ValueError("the first message was not hello")
            if hello.get("protocol") != 1:
                raise ValueError(f"protocol {hello.get('protocol')!r}; this client speaks 1")
        except (asyncio.TimeoutError, ValueError, ConnectionClosed) as error:
            await ws.close()
            raise ConnectFailed(
                f"{self.safe_url} did not greet like Serial Bridge: {error}"
            ) from None
        return ws, hello

    async def _opened(self, ws: Any, hello: dict[str, Any]) -> None:
        self._ws = ws
        self._backoff.reset()
        try:
            await self._listener.on_open(hello, lambda message: self._send_on(ws, message))
        except ConnectionLost:
            pass  # dropped again at once: the read loop sees it
        self._connected.set()

    async def _run(self, ws: Any) -> None:
        error: str | None = None
        while True:
            code, reason = await self._read(ws)
            self._ws = None
            self._connected.clear()
            if self._stopping.is_set():
                break
            if code == _KICKED:
                error = f"disconnected by the operator ({code}{' ' + reason if reason else ''})"
                break
            why = _describe_close(code, reason)
            if not self._reconnect:
                error = why
                break
            self._listener.on_drop(why)
            ws, error = await self._reconnect_loop()
            if ws is None:
                break
        self._finish(error)

    async def _read(self, ws: Any) -> tuple[int, str]:
        try:
            async for raw in ws:
                self._received(raw)
        except ConnectionClosed as closed:
            return _close_code(closed)
        return (ws.close_code or 1006, ws.close_reason or "")

    def _count(self, raw: str | bytes) -> None:
        self._stats.messages += 1
        self._stats.bytes += len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8"))

    def _received(self, raw: str | bytes) -> None:
        self._count(raw)
        try:
            message = json.loads(raw)
            if not isinstance(message, dict):
                raise ValueError("not a JSON object")
            self._listener.on_message(message)
        except Exception as error:  # nothing the bridge sends may stop the read loop
            self._stats.errors += 1
            log.warning("serialbridge: ignored a message it could not use: %s", error)

    async def _reconnect_loop(self) -> tuple[Any, str | None]:
        attempts = 0
        last_error = ""
        refused = False
        while True:
            delay = self._backoff.next_delay(refused=refused)
            try:
                await asyncio.wait_for(self._stopping.wait(), delay)
                return None, None
            except asyncio.TimeoutError:
                pass
            attempts += 1
            try:
                ws, hello = await self._connect_once()
            except ConnectFailed as error:
                self._stats.errors += 1
                last_error = error.message
                refused = error.nobody_listening
                if self._max_attempts is not None and attempts >= self._max_attempts:
                    return None, f"gave up after {attempts} reconnect attempts: {last_error}"
                continue
            if self._stopping.is_set():
                await ws.close(1000)
                return None, None
            self._stats.reconnects += 1
            await self._opened(ws, hello)
            return ws, None


def _status_of(error: InvalidHandshake) -> int | None:
    # websockets 10 has InvalidStatusCode.status_code; 11+ InvalidStatus.response.status_code.
    status = getattr(error, "status_code", None)
    if status is None:
        status = getattr(getattr(error, "response", None), "status_code", None)
    return status if isinstance(status, int) else None
