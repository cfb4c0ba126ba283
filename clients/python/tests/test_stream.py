"""stream(): frames as the instrument sends them, with every field, and gaps for a slow reader."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import serialbridge
from support.instrument import Instrument
from support.waiting import until


async def test_frames_carry_text_bytes_time_and_seq(url: str, instrument: Instrument) -> None:
    async with serialbridge.connect(url) as bridge:
        async with bridge.stream("meter", timeout=10) as frames:
            instrument.line("V=1.234")
            instrument.line("V=1.235")
            one = await frames.__anext__()
            two = await frames.__anext__()

    assert isinstance(one, serialbridge.Frame)
    assert (one.port, one.text, one.data, one.encoding) == ("meter", "V=1.234", b"V=1.234", "utf8")
    assert isinstance(two, serialbridge.Frame)
    assert two.text == "V=1.235" and two.seq == one.seq + 1
    assert one.ts.tzinfo is not None and one.ts.utcoffset() == timedelta(0)
    assert abs(datetime.now(timezone.utc) - one.ts) < timedelta(minutes=1)
    assert one.values is None and one.units is None and one.poll is None


async def test_async_for_subscribes_at_the_first_read(url: str, instrument: Instrument) -> None:
    stop = instrument.chatter("hello")
    async with serialbridge.connect(url) as bridge:
        async for frame in bridge.stream("meter", timeout=10):
            break
    stop()
    assert isinstance(frame, serialbridge.Frame) and frame.text.startswith("hello-")


async def test_bytes_that_are_not_text_arrive_exactly(url: str, instrument: Instrument) -> None:
    async with serialbridge.connect(url) as bridge:
        async with bridge.stream("meter", timeout=10) as frames:
            instrument.write(b"\xff\x00\xfe\n")
            frame = await frames.__anext__()
    assert isinstance(frame, serialbridge.Frame)
    assert frame.data == b"\xff\x00\xfe"
    assert frame.encoding == "base64"
    assert "\ufffd" in frame.text


async def test_a_stream_waits_at_most_its_timeout(url: str, instrument: Instrument) -> None:
    async with serialbridge.connect(url) as bridge:
        with pytest.raises(serialbridge.Timeout, match="nothing from meter within 0.3 s"):
            async for _ in bridge.stream("meter", timeout=0.3):
                pass


async def test_a_slow_reader_gets_a_gap_naming_the_frames_it_lost(
    url: str, instrument: Instrument
) -> None:
    async with serialbridge.connect(url, max_queue=5) as bridge:
        async with bridge.stream("meter", timeout=10) as frames:
            for n in range(20):
                instrument.line(f"n={n}")
            await until(lambda: bridge.stats.frames == 20, "20 frames at the client")
            items = [await frames.__anext__() for _ in range(6)]

    kept = [item for item in items if isinstance(item, serialbridge.Frame)]
    assert [f.text for f in kept] == [f"n={n}" for n in range(5)]
    start = kept[0].seq
    assert items[5] == serialbridge.Gap("meter", start + 5, start + 19, False)
    assert items[5].count == 15


async def test_two_streams_of_one_port_see_the_same_frames(
    url: str, instrument: Instrument
) -> None:
    async with serialbridge.connect(url) as bridge:
        async with bridge.stream("meter", timeout=10) as a, bridge.stream("meter", timeout=10) as b:
            instrument.line("x=1")
            got_a, got_b = await a.__anext__(), await b.__anext__()
            await a.aclose()
            # The other stream keeps the port subscribed.
            instrument.line("x=2")
            later = await b.__anext__()
    assert got_a == got_b
    assert isinstance(later, serialbridge.Frame) and later.text == "x=2"


async def test_streaming_an_unknown_port_raises_unknown_port(url: str) -> None:
    async with serialbridge.connect(url) as bridge:
        with pytest.raises(serialbridge.UnknownPort) as raised:
            async for _ in bridge.stream("nope"):
                pass
    assert raised.value.code == "UNKNOWN_PORT"
