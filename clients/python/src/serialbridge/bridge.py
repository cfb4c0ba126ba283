"""The asyncio client: `async with serialbridge.connect(url) as bridge: ...`."""

from __future__ import annotations

import base64
import dataclasses
import time
from typing import Any, Callable, Generator, Iterable

from .backoff import Backoff
from .errors import InternalError
from .link import Link, control_url
from .models import PortInfo, Reply, Stats, codec_of, decode_payload
from .session import ConnectionCallback, Session, StatusCallback
from .stream import Stream


class AsyncBridge:
    """One connection to a Serial Bridge's control endpoint (`/ws`), kept open until closed.

    It reconnects by itself (0.25 s doubling to 5 s, with jitter; forever unless
    `reconnect=False` or `max_attempts`), subscribes again, restarts the polls it started, and
    resumes each stream from its last seq when the bridge offers `resume`.

    `fingerprint` pins the certificate of a bridge with `server.tls` by its SHA-256 as Serial
    Bridge shows it (`AB:CD:...`): it is checked before anything is sent, on every connection,
    and trusted exactly, without a host name check (see pinning.py).
    """

    def __init__(
        self,
        url: str,
        token: str | None = None,
        client: str | None = None,
        *,
        fingerprint: str | None = None,
        reconnect: bool = True,
        max_attempts: int | None = None,
        resume: bool = True,
        open_timeout: float = 10.0,
        request_timeout: float = 10.0,
        heartbeat: float = 10.0,
        max_queue: int = 10_000,
        max_in_flight: int = 1000,
        max_message_bytes: int = 16 * 1024 * 1024,
        backoff: Backoff | None = None,
    ) -> None:
        self._stats = Stats()
        self._session = Session(
            self._stats,
            resume=resume,
            request_timeout=request_timeout,
            max_queue=max_queue,
            max_in_flight=max_in_flight,
        )
        self._link = Link(
            control_url(url, token, client),
            self._session,
            self._stats,
            reconnect=reconnect,
            max_attempts=max_attempts,
            open_timeout=open_timeout,
            heartbeat=heartbeat,
            max_message_bytes=max_message_bytes,
            backoff=backoff or Backoff(),
            fingerprint=fingerprint,
        )
        self._session.link = self._link

    # -- life ---------------------------------------------------------------------------------

    async def open(self) -> AsyncBridge:
        """Connects; raises ConnectFailed when the first connection cannot be made."""
        await self._link.open()
        return self

    async def close(self) -> None:
        """Closes the connection (1000); open streams end, waiting requests get ConnectionLost."""
        await self._link.close()

    async def __aenter__(self) -> AsyncBridge:
        return await self.open()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __await__(self) -> Generator[Any, None, AsyncBridge]:
        return self.open().__await__()

    # -- what the bridge said -----------------------------------------------------------------

    @property
    def hello(self) -> dict[str, Any]:
        """The last `hello` message (the bridge sends one on every connect)."""
        return self._session.hello

    @property
    def features(self) -> frozenset[str]:
        return self._session.features

    @property
    def epoch(self) -> str | None:
        return self._session.epoch

    @property
    def client_id(self) -> str | None:
        value = self._session.hello.get("clientId")
        return value if isinstance(value, str) else None

    @property
    def connected(self) -> bool:
        return self._session.connected

    @property
    def stats(self) -> Stats:
        """A copy of the counters: messages, bytes, frames, reconnects, gaps, duplicates, errors."""
        return dataclasses.replace(self._stats)

    # -- requests -----------------------------------------------------------------------------

    async def ports(self) -> list[PortInfo]:
        await self._session.request({"type": "list"})
        return self._session.known_ports()

    async def write(self, port: str, text: str) -> int:
        """Writes text (the port's terminator is added); returns the bytes written."""
        return _bytes_of(await self._session.request({"type": "write", "port": port, "data": text}))

    async def write_bytes(self, port: str, data: bytes) -> int:
        """Writes exactly these bytes, nothing appended; returns the bytes written."""
        message = {"type": "write", "port": port, "data": _b64(data), "encoding": "base64"}
        return _bytes_of(await self._session.request(message))

    async def query(
        self,
        port: str,
        command: str | bytes,
        timeout: float = 1.0,
        *,
        expect: str | None = None,
        expect_lines: int | None = None,
    ) -> Reply:
        """Writes `command` and returns the port's next frame (Timeout when none comes in time).

        `expect` (a regex) and `expect_lines` need the bridge feature `polls`.
        """
        message: dict[str, Any] = {"type": "query", "port": port, "timeoutMs": _ms(timeout)}
        if isinstance(command, bytes):
            message.update(data=_b64(command), encoding="base64")
        else:
            message["data"] = command
        if expect is not None or expect_lines is not None:
            self._session.require("polls", "query with expect or expect_lines")
        if expect is not None:
            message["expect"] = expect
        if expect_lines is not None:
            message["expectLines"] = expect_lines
        answer = await self._session.request(message)
        info = self._session.port_info(port)
        try:
            text, data = decode_payload(
                answer.get("data"),
                answer.get("encoding"),
                codec_of(info.encoding if info else None),
            )
        except ValueError as error:
            raise InternalError(
                f"the bridge sent a reply this client cannot read: {error}"
            ) from None
        lines = answer.get("lines")
        return Reply(
            port=port,
            text=text,
            data=data,
            encoding=str(answer.get("encoding", "utf8")),
            lines=tuple(str(line) for line in lines) if isinstance(lines, list) else None,
        )

    async def ping(self) -> float:
        """Seconds for a round trip to the bridge."""
        start = time.perf_counter()
        await self._session.request({"type": "ping"})
        return time.perf_counter() - start

    async def start_poll(
        self,
        port: str,
        name: str,
        command: str,
        interval: float,
        *,
        timeout: float = 1.0,
        expect: str | None = None,
        persist: bool = False,
    ) -> None:
        """The bridge sends `command` every `interval` s; replies arrive as frames with `.poll`.

        A poll that does not persist belongs to this connection: the bridge stops it when the
        connection drops, and this client starts it again after reconnecting.
        """
        self._session.require("polls", "start_poll")
        message: dict[str, Any] = {
            "type": "startPoll",
            "port": port,
            "name": name,
            "command": command,
            "intervalMs": _ms(interval),
            "timeoutMs": _ms(timeout),
            "persist": persist,
        }
        if expect is not None:
            message["expect"] = expect
        await self._session.request(dict(message))
        if not persist:
            self._session.polls[(port, name)] = message

    async def stop_poll(self, port: str, name: str) -> None:
        self._session.require("polls", "stop_poll")
        if self._session.polls.pop((port, name), None) is not None and not self.connected:
            return  # the bridge stopped it when the connection dropped
        await self._session.request({"type": "stopPoll", "port": port, "name": name})

    # -- streams and callbacks ----------------------------------------------------------------

    def stream(self, *ports: str, timeout: float | None = None) -> Stream:
        """Frames of these ports as they are read, with a Gap wherever frames were lost.

        `timeout`: the longest wait for the next item (Timeout when it passes; None: forever).
        The stream ends when the bridge is closed, and raises ConnectionLost when reconnecting
        gave up. Use `async with bridge.stream(...) as frames:` to be subscribed before the
        first read (e.g. before sending the command that makes the instrument talk).
        """
        if not ports:
            raise ValueError("stream() needs at least one port id")
        return Stream(self._session, ports, timeout)

    def on_status(
        self, callback: StatusCallback, ports: str | Iterable[str] | None = None
    ) -> Callable[[], None]:
        """Calls `callback(PortStatus)` when a port changes state; returns the unsubscribe function.

        With `ports`, those ports stay subscribed while the callback is registered; without,
        it hears the ports this client streams.
        """
        wanted = None if ports is None else frozenset([ports] if isinstance(ports, str) else ports)
        return self._session.add_status_listener(callback, wanted)

    def on_connection(self, callback: ConnectionCallback) -> Callable[[], None]:
        """Calls `callback(ConnectionEvent)` on connect, reconnect, loss and close."""
        return self._session.add_connection_listener(callback)


def _bytes_of(ack: dict[str, Any]) -> int:
    count = ack.get("bytes")
    return count if isinstance(count, int) else 0


def _b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


#: `async with connect(url, token=None, client=None) as bridge:`, or `bridge = await connect(url)`
#: and later `await bridge.close()`. The same arguments as AsyncBridge.
connect = AsyncBridge
