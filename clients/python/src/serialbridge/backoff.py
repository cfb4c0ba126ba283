"""Delays between reconnect attempts."""

from __future__ import annotations

import random
from typing import Callable


class Backoff:
    """0.25 s, doubling up to 5 s; each delay is shortened by up to `jitter` (a fraction) at
    random, so clients cut by the same bridge restart do not all come back in lockstep."""

    def __init__(
        self,
        initial: float = 0.25,
        maximum: float = 5.0,
        jitter: float = 0.25,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
        self._rand = rand
        self._next = initial

    def next_delay(self, *, refused: bool = False) -> float:
        """The wait before the next attempt. After an attempt that was `refused` (nothing listens
        at the address: the bridge is stopped or restarting) the wait does not grow: such an
        attempt costs next to nothing, and it brings the client back within about `initial` of
        a restarted bridge rather than seconds later."""
        if refused:
            return self.initial * (1 - self.jitter * self._rand())
        base = self._next
        self._next = min(self.maximum, base * 2)
        return base * (1 - self.jitter * self._rand())

    def reset(self) -> None:
        self._next = self.initial
