"""Waiting for things to happen, with a deadline: tests never sleep a fixed time."""

from __future__ import annotations

import asyncio
import time
from typing import Callable, TypeVar

T = TypeVar("T")

# Generous: the machine running the tests may be busy with other work.
DEFAULT_TIMEOUT = 15.0


async def until(predicate: Callable[[], T], what: str, timeout: float = DEFAULT_TIMEOUT) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.02)


def until_sync(predicate: Callable[[], T], what: str, timeout: float = DEFAULT_TIMEOUT) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
