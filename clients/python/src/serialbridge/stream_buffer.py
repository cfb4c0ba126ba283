"""The bounded queue between the connection and one `stream()` iterator."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Callable, Union

from .errors import BridgeError, Timeout
from .models import Frame, Gap

Item = Union[Frame, Gap]


class StreamBuffer:
    """Holds up to `limit` items for a caller that reads slower than the port sends.

    When full, further frames are not queued: their seqs are merged into a pending Gap per
    port, handed out before that port's next item (or as soon as the queue is empty), so a
    slow reader sees exactly which frames it lost.
    """

    def __init__(self, limit: int, on_gap: Callable[[], None] = lambda: None) -> None:
        self._limit = limit
        self._items: deque[Item] = deque()
        self._lost: dict[str, list[Gap]] = {}
        self._on_gap = on_gap
        self._wake = asyncio.Event()
        self._error: BridgeError | None = None
        self._ended = False

    def push(self, item: Item) -> None:
        if self._ended or self._error is not None:
            return
        if len(self._items) >= self._limit:
            if isinstance(item, Frame):
                self._lose(item.port, item.seq, item.seq, False)
            else:
                self._lose(item.port, item.from_seq, item.to_seq, item.restarted)
            return
        lost = self._lost.pop(item.port, None)
        if lost:
            self._items.extend(lost)
        self._items.append(item)
        self._wake.set()

    def fail(self, error: BridgeError) -> None:
        """The stream raises `error` once what is queued has been read."""
        if self._error is None and not self._ended:
            self._error = error
            self._wake.set()

    def end(self) -> None:
        """The stream stops once what is queued has been read."""
        self._ended = True
        self._wake.set()

    async def get(self, timeout: float | None, what: str) -> Item:
        while True:
            if self._items:
                return self._items.popleft()
            if self._lost:
                for gaps in self._lost.values():
                    self._items.extend(gaps)
                self._lost.clear()
                continue
            if self._error is not None:
                raise self._error
            if self._ended:
                raise StopAsyncIteration
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except asyncio.TimeoutError:
                raise Timeout(f"nothing from {what} within {timeout:g} s") from None

    def _lose(self, port: str, from_seq: int, to_seq: int | None, restarted: bool) -> None:
        gaps = self._lost.setdefault(port, [])
        last = gaps[-1] if gaps else None
        # Frames dropped in a row are consecutive seqs (gaps between them arrive as Gap items).
        if (
            not restarted
            and last is not None
            and last.to_seq is not None
            and from_seq == last.to_seq + 1
        ):
            gaps[-1] = Gap(port, last.from_seq, to_seq, last.restarted)
            return
        gaps.append(Gap(port, from_seq, to_seq, restarted))
        self._on_gap()
