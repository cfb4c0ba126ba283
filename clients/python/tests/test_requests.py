"""ports, write, write_bytes, query and ping against a real bridge, and the errors they raise."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

import serialbridge
from support.headless import HeadlessBridge
from support.instrument import Instrument
from support.socat_pair import SocatPair
from support.waiting import until


async def test_ports_lists_the_configured_port(url: str, pty: SocatPair) -> None:
    async with serialbridge.connect(url) as bridge:
        ports = await bridge.ports()
    assert [(p.id, p.path, p.state) for p in ports] == [("meter", pty.a, "open")]
    assert ports[0].encoding == "utf8"
    assert ports[0].metrics["framesIn"] == 0


async def test_write_reaches_the_instrument_with_the_terminator(
    url: str, instrument: Instrument
) -> None:
    async with serialbridge.connect(url) as bridge:
        written = await bridge.write("meter", "*RST")
    await until(lambda: instrument.received() == b"*RST\n", "*RST at the instrument")
    assert written == 5


async def test_write_bytes_sends_exactly_those_bytes(url: str, instrument: Instrument) -> None:
    async with serialbridge.connect(url) as bridge:
        written = await bridge.write_bytes("meter", b"\x1b@\x00\xff")
        # A marker written after them shows nothing else arrived in between.
        await bridge.write("meter", "end")
    await until(lambda: instrument.received().endswith(b"end\n"), "the marker")
    assert instrument.received() == b"\x1b@\x00\xffend\n"
    assert written == 4


async def test_query_returns_the_instruments_answer(url: str, instrument: Instrument) -> None:
    instrument.answer("*IDN?", "ACME,Meter,42,1.0")
    async with serialbridge.connect(url) as bridge:
        reply = await bridge.query("meter", "*IDN?", timeout=5)
        raw = await bridge.query("meter", b"*IDN?\n", timeout=5)
    assert (reply.port, reply.text, reply.data, reply.encoding) == (
        "meter",
        "ACME,Meter,42,1.0",
        b"ACME,Meter,42,1.0",
        "utf8",
    )
    assert str(reply) == "ACME,Meter,42,1.0" and reply.lines is None
    assert raw.text == "ACME,Meter,42,1.0"
    assert instrument.lines() == ["*IDN?", "*IDN?"]


async def test_an_unanswered_query_raises_timeout(url: str, instrument: Instrument) -> None:
    async with serialbridge.connect(url) as bridge:
        with pytest.raises(serialbridge.Timeout) as raised:
            await bridge.query("meter", "MEAS?", timeout=0.2)
    assert raised.value.code == "TIMEOUT"
    assert "200 ms" in raised.value.message


async def test_an_unknown_port_raises_unknown_port(url: str) -> None:
    async with serialbridge.connect(url) as bridge:
        with pytest.raises(serialbridge.UnknownPort, match="unknown port: nope"):
            await bridge.query("nope", "*IDN?")
        with pytest.raises(serialbridge.UnknownPort):
            await bridge.write("nope", "x")
        assert bridge.stats.errors == 2


async def test_a_write_to_an_unplugged_port_raises_port_not_open(url: str, pty: SocatPair) -> None:
    async with serialbridge.connect(url) as bridge:
        states: list[str] = []
        stop = bridge.on_status(lambda status: states.append(status.state), "meter")
        await until(lambda: bridge.stats.messages >= 2, "hello and the status subscription")
        pty.unplug()
        await until(lambda: "reconnecting" in states, "the port to notice the unplug")
        with pytest.raises(serialbridge.PortNotOpen) as raised:
            await bridge.write("meter", "x")
        stop()
    assert raised.value.code == "PORT_NOT_OPEN"


async def test_ping_measures_a_round_trip(url: str) -> None:
    async with serialbridge.connect(url) as bridge:
        assert await bridge.ping() >= 0


async def test_nothing_listening_raises_connect_failed(tmp_path: Path) -> None:
    with pytest.raises(serialbridge.ConnectFailed, match="cannot connect to ws://127.0.0.1:9/ws"):
        await serialbridge.connect("ws://127.0.0.1:9").open()


async def test_a_token_is_sent_and_a_wrong_one_is_refused(
    make_bridge: Callable[..., HeadlessBridge]
) -> None:
    bridge_process = make_bridge({"token": "s3cret-token"})
    with pytest.raises(serialbridge.ConnectFailed) as refused:
        await serialbridge.connect(bridge_process.url, token="wrong-token").open()
    assert refused.value.status == 401
    assert "wrong-token" not in str(refused.value) and "token=***" in str(refused.value)
    async with serialbridge.connect(
        bridge_process.url, token="s3cret-token", client="logger"
    ) as bridge:
        assert [p.id for p in await bridge.ports()] == ["meter"]
