"""Polls and query expect/expectLines (protocol feature `polls`), as the client uses them,
against a real headless bridge on a socat line."""

from __future__ import annotations

import serialbridge
from support.instrument import Instrument
from support.tcp_proxy import TcpProxy
from support.waiting import until


async def test_a_polls_replies_arrive_as_frames_named_after_it(
    url: str, instrument: Instrument
) -> None:
    instrument.answer("MEAS:VOLT?", "V=1.234")
    async with serialbridge.connect(url) as bridge:
        async with bridge.stream("meter", timeout=30) as frames:
            await bridge.start_poll("meter", "volt", "MEAS:VOLT?", 0.1, timeout=1.0)
            got = [await frames.__anext__() for _ in range(3)]
            await bridge.stop_poll("meter", "volt")
    assert all(isinstance(f, serialbridge.Frame) and f.poll == "volt" for f in got)
    assert [f.text for f in got if isinstance(f, serialbridge.Frame)] == ["V=1.234"] * 3


async def test_a_stopped_poll_sends_nothing_more(url: str, instrument: Instrument) -> None:
    instrument.answer("A?", "a")
    instrument.answer("B?", "b")
    async with serialbridge.connect(url) as bridge:
        await bridge.start_poll("meter", "a", "A?", 0.1)
        await until(lambda: instrument.lines().count("A?") >= 2, "poll a running")
        await bridge.stop_poll("meter", "a")
        sent_a = instrument.lines().count("A?")
        # Another poll running for a while shows time passing without a new A?.
        await bridge.start_poll("meter", "b", "B?", 0.1)
        await until(lambda: instrument.lines().count("B?") >= 5, "poll b running")
        await bridge.stop_poll("meter", "b")
    assert instrument.lines().count("A?") == sent_a


async def test_a_poll_is_started_again_after_a_reconnect(
    proxy: TcpProxy, instrument: Instrument
) -> None:
    instrument.answer("MEAS?", "V=2")
    async with serialbridge.connect(proxy.url) as bridge:
        async with bridge.stream("meter", timeout=30) as frames:
            await bridge.start_poll("meter", "volt", "MEAS?", 0.1)
            await frames.__anext__()
            proxy.cut()
            await until(lambda: bridge.stats.reconnects == 1 and bridge.connected, "the reconnect")
            sent = instrument.lines().count("MEAS?")
            frame = await frames.__anext__()
            while isinstance(frame, serialbridge.Gap):
                frame = await frames.__anext__()
            await until(lambda: instrument.lines().count("MEAS?") > sent + 1, "the poll again")
    assert frame.poll == "volt"


async def test_query_expect_skips_frames_until_one_matches(
    url: str, instrument: Instrument
) -> None:
    instrument.answer("MEAS?", "noise\nV=3.5")
    async with serialbridge.connect(url) as bridge:
        reply = await bridge.query("meter", "MEAS?", timeout=2, expect="^V=")
    assert reply.text == "V=3.5"


async def test_query_expect_lines_gathers_several_lines(url: str, instrument: Instrument) -> None:
    instrument.answer("LIST?", "a\nb\nc")
    async with serialbridge.connect(url) as bridge:
        reply = await bridge.query("meter", "LIST?", timeout=2, expect_lines=3)
    assert reply.lines == ("a", "b", "c")
    assert reply.text == "a\nb\nc"
