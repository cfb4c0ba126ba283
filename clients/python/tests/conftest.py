"""Fixtures: a real socat line, an instrument on its far end, and a real headless bridge on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, AsyncIterator, Callable, Iterator

import pytest

from support.headless import HeadlessBridge
from support.instrument import Instrument
from support.socat_pair import SocatPair
from support.tcp_proxy import TcpProxy


def bridge_settings(
    tty: str, server: dict[str, Any] | None = None, port: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One port `meter` on the socat line, with `port`'s settings (e.g. `parse`) added; `server`
    fields are added to `{"port": 0}`."""
    return {
        "server": {"port": 0, **(server or {})},
        "ports": [{"id": "meter", "path": tty, **(port or {})}],
    }


@pytest.fixture
def pty(tmp_path: Path) -> Iterator[SocatPair]:
    pair = SocatPair(tmp_path)
    pair.plug()
    yield pair
    pair.unplug()


@pytest.fixture
def instrument(pty: SocatPair) -> Iterator[Instrument]:
    played = Instrument(pty.b)
    yield played
    played.close()


@pytest.fixture
def make_bridge(tmp_path: Path, pty: SocatPair) -> Iterator[Callable[..., HeadlessBridge]]:
    started: list[HeadlessBridge] = []

    def make(
        server: dict[str, Any] | None = None, port: dict[str, Any] | None = None
    ) -> HeadlessBridge:
        folder = tmp_path / f"bridge-{len(started)}"
        folder.mkdir()
        bridge = HeadlessBridge(bridge_settings(pty.a, server, port), folder)
        started.append(bridge)
        bridge.start()
        bridge.wait_open()
        return bridge

    yield make
    for bridge in started:
        bridge.stop()


@pytest.fixture
def headless(make_bridge: Callable[..., HeadlessBridge]) -> HeadlessBridge:
    return make_bridge()


@pytest.fixture
def url(headless: HeadlessBridge) -> str:
    return headless.url


@pytest.fixture
async def proxy(headless: HeadlessBridge) -> AsyncIterator[TcpProxy]:
    relay = TcpProxy(headless.port)
    await relay.start()
    yield relay
    await relay.close()
