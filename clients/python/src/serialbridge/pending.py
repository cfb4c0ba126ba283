"""Requests waiting for their answer, matched by `id`."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from .errors import BridgeError, Busy, error_from_code


class Pending:
    """At most `limit` requests wait at once; one more is refused with Busy, nothing sent."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._next_id = 1
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}

    def add(self) -> tuple[int, asyncio.Future[dict[str, Any]]]:
        if len(self._waiting) >= self._limit:
            raise Busy(f"{self._limit} requests are already waiting for the bridge")
        request_id = self._next_id
        self._next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = future
        return request_id, future

    def discard(self, request_id: int) -> None:
        self._waiting.pop(request_id, None)

    def settle(self, message: dict[str, Any]) -> bool:
        """Hands an answer to its request; False when no request of ours has that id."""
        request_id = message.get("id")
        if not isinstance(request_id, int) or isinstance(request_id, bool):
            return False
        future = self._waiting.pop(request_id, None)
        if future is None:
            return False
        if not future.done():
            if message.get("type") == "error":
                future.set_exception(
                    error_from_code(str(message.get("code")), str(message.get("message", "")))
                )
            else:
                future.set_result(message)
        return True

    def fail_all(self, error: Callable[[], BridgeError]) -> None:
        waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            if not future.done():
                future.set_exception(error())
