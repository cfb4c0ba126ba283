"""What `bridge.stream(...)` returns: an async iterator of frames and gaps, with a subscription."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ConnectionLost
from .models import Frame, Gap

if TYPE_CHECKING:
    from .session import Session
    from .stream_buffer import StreamBuffer


class Stream:
    """`async for item in bridge.stream("meter")` subscribes at the first read.

    `async with bridge.stream("meter") as frames:` subscribes on entering, so a command sent
    inside the block cannot be answered before the stream listens. The subscription ends with
    the block, with `aclose()`, or when the stream is garbage-collected.
    """

    def __init__(self, session: Session, ports: tuple[str, ...], timeout: float | None) -> None:
        self.ports = ports
        self.timeout = timeout
        self._session = session
        self._buffer: StreamBuffer | None = None
        self._closed = False

    async def start(self) -> Stream:
        """Subscribes (once); returns when the bridge has confirmed it, or raises its error."""
        if self._buffer is not None or self._closed:
            return self
        self._buffer, first = self._session.open_buffer(self.ports)
        try:
            for port in first:
                if self._session.connected:
                    try:
                        await self._session.request({"type": "subscribe", "ports": [port]})
                    except ConnectionLost:
                        pass  # subscribed again with the others once reconnected
        except BaseException:
            self.close()
            raise
        return self

    def __aiter__(self) -> Stream:
        return self

    async def __anext__(self) -> Frame | Gap:
        if self._buffer is None:
            await self.start()
        if self._closed or self._buffer is None:
            raise StopAsyncIteration
        try:
            return await self._buffer.get(self.timeout, ", ".join(self.ports))
        except StopAsyncIteration:
            self.close()
            raise

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._buffer is not None:
            self._session.close_buffer(self._buffer, self.ports)

    async def aclose(self) -> None:
        self.close()

    async def __aenter__(self) -> Stream:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # no event loop left at interpreter exit: nothing to unsubscribe
            pass
