"""Resume without loss (issue 9, part 1; protocol feature `resume`), as the client uses it."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Callable

import serialbridge
from support.headless import HeadlessBridge
from support.instrument import Instrument
from support.tcp_proxy import TcpProxy
from support.waiting import until


async def _frames_read(url: str, count: int) -> None:
    """Waits until the bridge itself has read `count` frames of meter (seen by another client)."""
    async with serialbridge.connect(url) as observer:
        deadline = asyncio.get_running_loop().time() + 15
        while (await observer.ports())[0].metrics["framesIn"] < count:
            assert asyncio.get_running_loop().time() < deadline, f"the bridge never read {count}"


async def _cut_while(proxy: TcpProxy, bridge: serialbridge.AsyncBridge) -> None:
    proxy.refusing = True
    proxy.cut()
    await until(lambda: not bridge.connected, "the client to see the cut")


async def _reconnect(proxy: TcpProxy, bridge: serialbridge.AsyncBridge) -> None:
    proxy.refusing = False
    await until(lambda: bridge.connected, "the reconnect")


async def test_a_cut_is_resumed_with_every_frame_exactly_once(
    headless: HeadlessBridge, proxy: TcpProxy, instrument: Instrument
) -> None:
    async with serialbridge.connect(proxy.url) as bridge:
        assert "resume" in bridge.features and bridge.epoch
        async with bridge.stream("meter", timeout=30) as frames:
            instrument.line("one")
            first = await frames.__anext__()
            assert isinstance(first, serialbridge.Frame)
            await _cut_while(proxy, bridge)
            for n in range(5):
                instrument.line(f"missed-{n}")
            await _frames_read(headless.url, first.seq + 5)
            await _reconnect(proxy, bridge)
            instrument.line("two")
            items = [await frames.__anext__() for _ in range(6)]
        stats = bridge.stats

    assert all(isinstance(item, serialbridge.Frame) for item in items)
    frames_ = [item for item in items if isinstance(item, serialbridge.Frame)]
    assert [f.text for f in frames_] == [f"missed-{n}" for n in range(5)] + ["two"]
    assert [f.seq for f in frames_] == list(range(first.seq + 1, first.seq + 7))
    assert stats.gaps == 0 and stats.reconnects == 1


async def test_a_ring_overrun_yields_a_gap_naming_the_lost_range(
    make_bridge: Callable[..., HeadlessBridge], instrument: Instrument
) -> None:
    headless = make_bridge({"replayFrames": 10})
    proxy = TcpProxy(headless.port)
    await proxy.start()
    try:
        async with serialbridge.connect(proxy.url) as bridge:
            async with bridge.stream("meter", timeout=30) as frames:
                instrument.line("one")
                first = await frames.__anext__()
                assert isinstance(first, serialbridge.Frame)
                await _cut_while(proxy, bridge)
                for n in range(30):
                    instrument.line(f"missed-{n}")
                await _frames_read(headless.url, first.seq + 30)
                await _reconnect(proxy, bridge)
                items = [await frames.__anext__() for _ in range(11)]
    finally:
        await proxy.close()

    assert items[0] == serialbridge.Gap("meter", first.seq + 1, first.seq + 20, False)
    rest = [item for item in items[1:] if isinstance(item, serialbridge.Frame)]
    assert [f.text for f in rest] == [f"missed-{n}" for n in range(20, 30)]
    assert [f.seq for f in rest] == list(range(first.seq + 21, first.seq + 31))


async def test_a_restarted_bridge_is_a_restart_gap_then_its_frames_from_seq_1(
    headless: HeadlessBridge, instrument: Instrument
) -> None:
    async with serialbridge.connect(headless.url) as bridge:
        first_epoch = bridge.epoch
        assert "resume" in bridge.features and first_epoch
        async with bridge.stream("meter", timeout=30) as frames:
            for n in range(3):
                instrument.line(f"before-{n}")
            before = [await frames.__anext__() for _ in range(3)]
            headless.restart()
            back = time.monotonic()
            stop = instrument.chatter("after")
            items = [await frames.__anext__(), await frames.__anext__()]
            data_after = time.monotonic() - back
            stop()
        assert bridge.epoch and bridge.epoch != first_epoch

    last = before[-1]
    assert isinstance(last, serialbridge.Frame)
    assert items[0] == serialbridge.Gap("meter", last.seq + 1, None, restarted=True)
    # The new bridge's ring still holds everything it read: nothing of the new epoch is lost.
    assert isinstance(items[1], serialbridge.Frame)
    assert (items[1].seq, items[1].text) == (1, "after-1")
    # Issue 9's "data within 1 s of the bridge being back" is asserted in test_reconnect.py,
    # timed from the restarted bridge's `listening` line; here the restart blocks the loop.
    print(f"data {data_after * 1000:.0f} ms after the bridge was back", file=sys.stderr)
    assert data_after < 5
