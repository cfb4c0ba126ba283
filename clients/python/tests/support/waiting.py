"""Waiting for things to happen, with a deadline: tests never sleep a fixed time."""

from __future__ import annotations

import asyncio
import time
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")

# Generous: the machine running the tests may be busy with other work.
DEFAULT_TIMEOUT = 15.0
_STEP = 0.02


def _checks(predicate: Callable[[], T], what: str, timeout: float) -> Iterator[T]:
    """Yields each falsy result until one is truthy (yielded last); raises at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        yield value
        if value:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")


async def until(predicate: Callable[[], T], what: str, timeout: float = DEFAULT_TIMEOUT) -> T:
    for value in _checks(predicate, what, timeout):
        if value:
            return value
        await asyncio.sleep(_STEP)
    raise AssertionError("unreachable")


def until_sync(predicate: Callable[[], T], what: str, timeout: float = DEFAULT_TIMEOUT) -> T:
    for value in _checks(predicate, what, timeout):
        if value:
            return value
        time.sleep(_STEP)
    raise AssertionError("unreachable")
