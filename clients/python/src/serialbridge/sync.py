"""The same client for plain scripts: `with serialbridge.SyncBridge(url) as bridge: ...`."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any, Callable, Coroutine, Iterable, TypeVar

from .bridge import AsyncBridge
from .errors import ConnectionLost
from .models import Frame, Gap, PortInfo, Reply, Stats
from .session import ConnectionCallback, StatusCallback
from .stream import Stream

T = TypeVar("T")

# Waiting in short slices keeps Ctrl-C working on Windows, where an untimed wait ignores it.
_SLICE = 0.2
_CLOSE_SECONDS = 5.0


class SyncBridge:
    """An AsyncBridge on its own event loop in one background thread.

    Every method blocks until done and raises the same exceptions as AsyncBridge's. Callbacks
    (`on_status`, `on_connection`) run on that background thread: keep them short. Ctrl-C while
    a call waits cancels it, and leaving the `with` block closes the socket and stops the thread.
    """

    def __init__(
        self, url: str, token: str | None = None, client: str | None = None, **options: Any
    ) -> None:
        self._args = (url, token, client)
        self._options = options
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._bridge: AsyncBridge | None = None

    # -- life ---------------------------------------------------------------------------------

    def open(self) -> SyncBridge:
        if self._loop is not None:
            return self
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="serialbridge", daemon=True)
        self._thread.start()
        try:
            self._bridge = self._run(self._create())
        except BaseException:
            self._stop_loop()
            raise
        return self

    def close(self) -> None:
        """Closes the connection and stops the background thread (waits at most ~5 s)."""
        if self._loop is None or self._thread is None:
            return
        try:
            if self._bridge is not None and self._thread.is_alive():
                self._run(self._bridge.close(), limit=_CLOSE_SECONDS)
        finally:
            self._stop_loop()

    def __enter__(self) -> SyncBridge:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- what the bridge said -----------------------------------------------------------------

    @property
    def hello(self) -> dict[str, Any]:
        return self._async.hello

    @property
    def features(self) -> frozenset[str]:
        return self._async.features

    @property
    def epoch(self) -> str | None:
        return self._async.epoch

    @property
    def client_id(self) -> str | None:
        return self._async.client_id

    @property
    def connected(self) -> bool:
        return self._async.connected

    @property
    def stats(self) -> Stats:
        return self._async.stats

    # -- requests -----------------------------------------------------------------------------

    def ports(self) -> list[PortInfo]:
        return self._run(self._async.ports())

    def write(self, port: str, text: str) -> int:
        return self._run(self._async.write(port, text))

    def write_bytes(self, port: str, data: bytes) -> int:
        return self._run(self._async.write_bytes(port, data))

    def query(
        self,
        port: str,
        command: str | bytes,
        timeout: float = 1.0,
        *,
        expect: str | None = None,
        expect_lines: int | None = None,
    ) -> Reply:
        return self._run(
            self._async.query(port, command, timeout, expect=expect, expect_lines=expect_lines)
        )

    def ping(self) -> float:
        return self._run(self._async.ping())

    def start_poll(
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
        self._run(
            self._async.start_poll(
                port, name, command, interval, timeout=timeout, expect=expect, persist=persist
            )
        )

    def stop_poll(self, port: str, name: str) -> None:
        self._run(self._async.stop_poll(port, name))

    # -- streams and callbacks ----------------------------------------------------------------

    def stream(self, *ports: str, timeout: float | None = None) -> SyncStream:
        """Frames of these ports, with a Gap wherever frames were lost (see AsyncBridge.stream).

        `with bridge.stream("meter") as frames:` is subscribed before the block runs.
        """
        return SyncStream(self, self._async.stream(*ports, timeout=timeout))

    def on_status(
        self, callback: StatusCallback, ports: str | Iterable[str] | None = None
    ) -> Callable[[], None]:
        bridge = self._async
        unsubscribe = self._run(_on_loop(lambda: bridge.on_status(callback, ports)))
        return lambda: self._soon(unsubscribe)

    def on_connection(self, callback: ConnectionCallback) -> Callable[[], None]:
        bridge = self._async
        unsubscribe = self._run(_on_loop(lambda: bridge.on_connection(callback)))
        return lambda: self._soon(unsubscribe)

    # -- internals ----------------------------------------------------------------------------

    @property
    def _async(self) -> AsyncBridge:
        if self._bridge is None:
            raise ConnectionLost("the bridge is not open: use `with SyncBridge(url) as bridge:`")
        return self._bridge

    async def _create(self) -> AsyncBridge:
        url, token, client = self._args
        return await AsyncBridge(url, token, client, **self._options).open()

    def _run(self, coroutine: Coroutine[Any, Any, T], limit: float | None = None) -> T:
        """Runs `coroutine` on the loop and waits for it; KeyboardInterrupt cancels it."""
        loop = self._loop
        if loop is None or self._thread is None or not self._thread.is_alive():
            coroutine.close()
            raise ConnectionLost("the bridge is closed")
        if threading.current_thread() is self._thread:
            coroutine.close()
            raise RuntimeError("SyncBridge methods cannot be called from its own callbacks")
        future = asyncio.run_coroutine_threadsafe(coroutine, loop)
        waited = 0.0
        try:
            while not future.done():
                concurrent.futures.wait([future], timeout=_SLICE)
                waited += _SLICE
                if limit is not None and waited >= limit:
                    break
        except BaseException:
            future.cancel()
            raise
        if not future.done():
            future.cancel()
            raise ConnectionLost(f"gave up waiting after {limit:g} s")
        return future.result()

    def _soon(self, function: Callable[[], object]) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(function)

    def _stop_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop, self._thread, self._bridge = None, None, None
        if loop is None or thread is None:
            return
        if thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(_cancel_all(), loop).result(_CLOSE_SECONDS)
            except (
                concurrent.futures.TimeoutError,
                concurrent.futures.CancelledError,
                RuntimeError,
            ):
                pass
            loop.call_soon_threadsafe(loop.stop)
            thread.join(_CLOSE_SECONDS)
        if not thread.is_alive():
            loop.close()


async def _on_loop(function: Callable[[], T]) -> T:
    return function()


async def _cancel_all() -> None:
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.get_running_loop().shutdown_asyncgens()


class SyncStream:
    """A Stream driven from a plain thread: `for item in stream`, or `with ... as stream:`."""

    def __init__(self, owner: SyncBridge, stream: Stream) -> None:
        self._owner = owner
        self._stream = stream

    def start(self) -> SyncStream:
        self._owner._run(self._stream.start())
        return self

    def __iter__(self) -> SyncStream:
        return self

    def __next__(self) -> Frame | Gap:
        try:
            return self._owner._run(self._stream.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None

    def close(self) -> None:
        # On the loop's thread: the subscription bookkeeping lives there.
        self._owner._soon(self._stream.close)

    def __enter__(self) -> SyncStream:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()
