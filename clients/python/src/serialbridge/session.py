"""The state behind one bridge object: requests, subscriptions, polls, callbacks, port list."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any, Awaitable, Callable

from .errors import BridgeError, ConnectionLost, NotSupported, UnknownPort
from .link import Link
from .models import ConnectionEvent, PortInfo, PortStatus, Stats
from .pending import Pending
from .stream_buffer import StreamBuffer
from .sequence import restarted_without_epoch
from .subscriptions import Subscriptions

log = logging.getLogger("serialbridge")

StatusCallback = Callable[[PortStatus], object]
ConnectionCallback = Callable[[ConnectionEvent], object]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class Session:
    """Listens to the Link; everything here runs on the bridge's event loop."""

    def __init__(
        self,
        stats: Stats,
        *,
        resume: bool,
        request_timeout: float,
        max_queue: int,
        max_in_flight: int,
    ) -> None:
        self.stats = stats
        self.link: Link | None = None
        self.polls: dict[tuple[str, str], dict[str, Any]] = {}
        self.closed = False
        self._resume = resume
        self._request_timeout = request_timeout
        self._max_queue = max_queue
        self._pending = Pending(max_in_flight)
        self._subs = Subscriptions(stats)
        self._hello: dict[str, Any] = {}
        self._ports: dict[str, PortInfo] = {}
        self._missing: set[str] = set()
        self._status_listeners: list[tuple[StatusCallback, frozenset[str] | None]] = []
        self._connection_listeners: list[ConnectionCallback] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def hello(self) -> dict[str, Any]:
        return self._hello

    @property
    def features(self) -> frozenset[str]:
        features = self._hello.get("features")
        if not isinstance(features, list):
            return frozenset()
        return frozenset(f for f in features if isinstance(f, str))

    @property
    def epoch(self) -> str | None:
        epoch = self._hello.get("epoch")
        return epoch if isinstance(epoch, str) else None

    @property
    def connected(self) -> bool:
        return self.link is not None and self.link.connected

    def port_info(self, port: str) -> PortInfo | None:
        return self._ports.get(port)

    def known_ports(self) -> list[PortInfo]:
        return list(self._ports.values())

    def require(self, feature: str, what: str) -> None:
        if feature not in self.features:
            offered = ", ".join(sorted(self.features)) or "none"
            raise NotSupported(
                f"{what} needs the bridge feature {feature!r} (this bridge offers: {offered})"
            )

    # -- requests -----------------------------------------------------------------------------

    async def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Sends one request (waiting up to request_timeout for a connection) and its answer."""
        if self.closed or self.link is None:
            raise ConnectionLost("the bridge connection is closed")
        await self.link.wait_connected(self._request_timeout)
        request_id, future = self._pending.add()
        message["id"] = request_id
        try:
            await self.link.send(message)
            return await future
        finally:
            self._pending.discard(request_id)

    def send_soon(self, message: dict[str, Any]) -> None:
        """A request whose answer nobody waits for (subscription changes)."""
        if not self.connected or self.closed:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # a stream collected after its loop stopped: the connection is gone too
        task = loop.create_task(self._quietly(message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _quietly(self, message: dict[str, Any]) -> None:
        try:
            await self.request(message)
        except BridgeError as error:
            log.debug("serialbridge: %s failed: %s", message["type"], error)

    # -- subscriptions ------------------------------------------------------------------------

    def hold(self, port: str) -> None:
        if self._subs.acquire(port, self.epoch):
            self.send_soon({"type": "subscribe", "ports": [port]})

    def let_go(self, port: str) -> None:
        if self._subs.release(port):
            self.send_soon({"type": "unsubscribe", "ports": [port]})

    def open_buffer(self, ports: tuple[str, ...]) -> tuple[StreamBuffer, list[str]]:
        """A stream's queue, attached to its ports; returns the ports it subscribes first."""
        if self.closed:
            raise ConnectionLost("the bridge connection is closed")
        buffer = StreamBuffer(self._max_queue, self._count_gap)
        self._subs.attach(buffer, ports)
        return buffer, [port for port in ports if self._subs.acquire(port, self.epoch)]

    def close_buffer(self, buffer: StreamBuffer, ports: tuple[str, ...]) -> None:
        self._subs.detach(buffer, ports)
        for port in ports:
            self.let_go(port)

    def add_status_listener(
        self, callback: StatusCallback, wanted: frozenset[str] | None
    ) -> Callable[[], None]:
        entry = (callback, wanted)
        self._status_listeners.append(entry)
        for port in wanted or ():
            self.hold(port)

        def unsubscribe() -> None:
            if entry in self._status_listeners:
                self._status_listeners.remove(entry)
                for port in wanted or ():
                    self.let_go(port)

        return unsubscribe

    def add_connection_listener(self, callback: ConnectionCallback) -> Callable[[], None]:
        self._connection_listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._connection_listeners:
                self._connection_listeners.remove(callback)

        return unsubscribe

    # -- LinkListener -------------------------------------------------------------------------

    async def on_open(self, hello: dict[str, Any], send: Send) -> None:
        before, self._hello = self._hello, hello
        restarted = restarted_without_epoch(before, hello, self._ports)
        self._learn_ports(hello.get("ports"))
        resume = self._resume and "resume" in self.features
        for message in self._subs.resubscribe(hello, resume, restarted):
            await self._send_tracked(send, message, port=message["ports"][0])
        for message in self.polls.values():
            await self._send_tracked(send, dict(message), port=None)
        self._emit_connection(ConnectionEvent("connected"))

    def on_message(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "error":
            self.stats.errors += 1
        if kind == "data":
            info = self._ports.get(str(message.get("port")))
            self._subs.frame(message, info.encoding if info else None)
        elif self._pending.settle(message):
            if kind == "ports":
                self._learn_ports(message.get("ports"))
        elif kind == "gap":
            self._subs.server_gap(message, self.epoch)
        elif kind == "status":
            self._status(message)
        elif kind == "ports":
            self._learn_ports(message.get("ports"))
        elif kind == "error":
            log.warning(
                "serialbridge: the bridge reported %s: %s",
                message.get("code"),
                message.get("message"),
            )

    def on_drop(self, reason: str) -> None:
        self._pending.fail_all(
            lambda: ConnectionLost(f"{reason}; the request may or may not have been done")
        )
        self._emit_connection(ConnectionEvent("reconnecting", reason))

    def on_closed(self, error: str | None) -> None:
        self.closed = True
        why = error or "the bridge connection was closed"
        self._pending.fail_all(lambda: ConnectionLost(why))
        self._subs.close_all(ConnectionLost(error) if error else None)
        for task in list(self._tasks):
            task.cancel()
        self._emit_connection(ConnectionEvent("closed", error))

    # -- internals ----------------------------------------------------------------------------

    async def _send_tracked(self, send: Send, message: dict[str, Any], port: str | None) -> None:
        """Sends without waiting for the answer; a refused subscription fails its port's streams."""
        try:
            request_id, future = self._pending.add()
        except BridgeError as error:
            log.warning(
                "serialbridge: after reconnecting, could not send %s: %s", message["type"], error
            )
            return
        message["id"] = request_id

        def answered(done: asyncio.Future[dict[str, Any]]) -> None:
            error = None if done.cancelled() else done.exception()
            if isinstance(error, UnknownPort) and port is not None:
                self._subs.fail(port, error)
            elif isinstance(error, BridgeError) and not isinstance(error, ConnectionLost):
                log.warning(
                    "serialbridge: after reconnecting, %s was refused: %s", message["type"], error
                )

        future.add_done_callback(answered)
        await send(message)

    def _learn_ports(self, ports: object) -> None:
        if not isinstance(ports, list):
            return
        known = {}
        for raw in ports:
            if isinstance(raw, dict) and "id" in raw:
                info = PortInfo.from_message(raw)
                known[info.id] = info
                self._subs.counter(info.id, info.metrics, self.epoch)
        for port in self._subs.held():
            if port not in known:
                self._missing.add(port)
            elif port in self._missing:
                # Removing a port unsubscribes its clients; it came back, so subscribe again.
                self._missing.discard(port)
                self.send_soon({"type": "subscribe", "ports": [port]})
        self._ports = known

    def _status(self, message: dict[str, Any]) -> None:
        port = str(message.get("port"))
        error = message.get("error")
        metrics = message.get("metrics")
        status = PortStatus(
            port=port,
            state=str(message.get("state")),
            error=error if isinstance(error, str) else None,
            metrics=metrics if isinstance(metrics, dict) else {},
        )
        self._subs.counter(port, status.metrics, self.epoch)
        info = self._ports.get(port)
        if info is not None:
            self._ports[port] = dataclasses.replace(
                info, state=status.state, error=status.error, metrics=status.metrics
            )
        for callback, wanted in list(self._status_listeners):
            if wanted is None or port in wanted:
                _call(callback, status)

    def _emit_connection(self, event: ConnectionEvent) -> None:
        for callback in list(self._connection_listeners):
            _call(callback, event)

    def _count_gap(self) -> None:
        self.stats.gaps += 1


def _call(callback: Callable[[Any], object], value: object) -> None:
    try:
        callback(value)
    except Exception:  # a caller's callback must not stop the connection
        log.exception("serialbridge: a callback raised")
