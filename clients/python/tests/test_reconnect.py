"""Reconnects: a bridge killed and restarted, a connection cut while the bridge runs, a query in
flight at the cut, giving up, and what the caller sees of the frames it missed."""

from __future__ import annotations

import asyncio
import time

import pytest

import serialbridge
from support.headless import HeadlessBridge
from support.instrument import Instrument
from support.tcp_proxy import TcpProxy
from support.waiting import until


def _texts(items: list[serialbridge.Frame | serialbridge.Gap]) -> list[str]:
    return [item.text for item in items if isinstance(item, serialbridge.Frame)]


async def test_after_a_bridge_restart_data_flows_again_behind_a_restart_gap(
    headless: HeadlessBridge, instrument: Instrument
) -> None:
    async with serialbridge.connect(headless.url) as bridge:
        async with bridge.stream("meter", timeout=30) as frames:
            for n in range(3):
                instrument.line(f"before-{n}")
            before = [await frames.__anext__() for _ in range(3)]
            assert _texts(before) == ["before-0", "before-1", "before-2"]

            headless.restart()
            stop = instrument.chatter("after")
            items = [await frames.__anext__()]
            while not isinstance(items[-1], serialbridge.Frame):
                items.append(await frames.__anext__())
            stop()
        stats = bridge.stats

    last = before[-1]
    assert isinstance(last, serialbridge.Frame)
    assert items[0] == serialbridge.Gap("meter", last.seq + 1, None, restarted=True)
    frame = items[-1]
    assert isinstance(frame, serialbridge.Frame) and frame.text.startswith("after-")
    # Frames the new bridge read before this client was back are named too.
    if frame.seq > 1:
        assert items[1] == serialbridge.Gap("meter", 1, frame.seq - 1, False)
    assert stats.reconnects == 1


async def test_data_again_within_a_second_of_the_restarted_bridge_listening(
    headless: HeadlessBridge, instrument: Instrument
) -> None:
    """Issue 9: a bridge killed and restarted gives a restart Gap, then data within 1 s of the
    bridge being back (its `listening` line). It stays down for four refused attempts first:
    a backoff that doubled on those would be waiting 3-4 s by then."""
    stop = instrument.chatter("line", every=0.02)  # a meter that streams, all along
    try:
        async with serialbridge.connect(headless.url) as bridge:
            async with bridge.stream("meter", timeout=30) as frames:
                before = await frames.__anext__()
                crashed = time.monotonic()
                headless.kill()
                await until(lambda: bridge.stats.errors >= 4, "four refused attempts", timeout=30)

                def start_again() -> float:
                    headless.start(headless.port)
                    return time.monotonic()

                listening = await asyncio.to_thread(start_again)
                # Frames read before the crash come first; then the restart Gap (and a Gap for
                # frames the new bridge read before this client was back), then data again.
                last, restart, frame = before, None, None
                while frame is None:
                    item = await frames.__anext__()
                    if isinstance(item, serialbridge.Gap):
                        restart = restart or item
                    elif restart is None:
                        last = item
                    else:
                        frame = item
                data_s = time.monotonic() - listening
    finally:
        stop()

    assert isinstance(last, serialbridge.Frame)
    assert restart == serialbridge.Gap("meter", last.seq + 1, None, restarted=True)
    print(
        f"down {listening - crashed:.2f} s; first frame {data_s * 1000:.0f} ms after the "
        "restarted bridge printed 'listening'"
    )
    assert data_s <= 1.0, f"data {data_s:.2f} s after the bridge was back"


async def _frames_read(url: str, count: int) -> None:
    """Waits until the bridge itself has read `count` frames of meter (seen by another client)."""
    async with serialbridge.connect(url) as observer:
        deadline = asyncio.get_running_loop().time() + 15
        while (await observer.ports())[0].metrics["framesIn"] < count:
            assert (
                asyncio.get_running_loop().time() < deadline
            ), f"the bridge never read {count} frames"


async def test_a_cut_without_resume_yields_a_gap_naming_exactly_the_lost_frames(
    headless: HeadlessBridge, proxy: TcpProxy, instrument: Instrument
) -> None:
    async with serialbridge.connect(proxy.url, resume=False) as bridge:
        async with bridge.stream("meter", timeout=30) as frames:
            instrument.line("one")
            first = await frames.__anext__()
            assert isinstance(first, serialbridge.Frame)
            proxy.refusing = True
            proxy.cut()
            await until(lambda: not bridge.connected, "the client to see the cut")
            for n in range(5):
                instrument.line(f"missed-{n}")
            await _frames_read(headless.url, first.seq + 5)
            proxy.refusing = False
            await until(lambda: bridge.connected, "the reconnect")
            instrument.line("two")
            items = [await frames.__anext__(), await frames.__anext__()]
        stats = bridge.stats

    assert items[0] == serialbridge.Gap("meter", first.seq + 1, first.seq + 5, False)
    assert isinstance(items[1], serialbridge.Frame)
    assert (items[1].text, items[1].seq) == ("two", first.seq + 6)
    assert stats.duplicates == 0 and stats.gaps == 1 and stats.reconnects == 1


async def test_a_query_in_flight_at_a_cut_fails_with_connection_lost_and_is_not_sent_again(
    proxy: TcpProxy, instrument: Instrument
) -> None:
    async with serialbridge.connect(proxy.url) as bridge:
        asking = asyncio.ensure_future(bridge.query("meter", "MEAS?", timeout=30))
        await until(lambda: instrument.lines() == ["MEAS?"], "the command at the instrument")
        proxy.cut()
        with pytest.raises(serialbridge.ConnectionLost, match="may or may not have been done"):
            await asyncio.wait_for(asking, 15)
        await until(lambda: bridge.connected, "the reconnect")
        await bridge.write("meter", "marker")
        await until(lambda: "marker" in instrument.lines(), "the marker")
    assert instrument.lines() == ["MEAS?", "marker"]


async def test_a_request_made_while_disconnected_waits_for_the_reconnect(
    proxy: TcpProxy, instrument: Instrument
) -> None:
    async with serialbridge.connect(proxy.url) as bridge:
        proxy.refusing = True
        proxy.cut()
        await until(lambda: not bridge.connected, "the cut")
        writing = asyncio.ensure_future(bridge.write("meter", "later"))
        await until(lambda: proxy.refused >= 2, "two refused reconnect attempts")
        assert not writing.done()
        proxy.refusing = False
        assert await writing == 6
    await until(lambda: instrument.lines() == ["later"], "the write at the instrument")


async def test_without_reconnect_a_cut_ends_the_stream_with_connection_lost(
    proxy: TcpProxy,
) -> None:
    async with serialbridge.connect(proxy.url, reconnect=False) as bridge:
        events: list[serialbridge.ConnectionEvent] = []
        bridge.on_connection(events.append)
        async with bridge.stream("meter") as frames:
            proxy.cut()
            with pytest.raises(serialbridge.ConnectionLost, match="no close frame"):
                await frames.__anext__()
        with pytest.raises(serialbridge.ConnectionLost):
            await bridge.ping()
    assert [e.state for e in events] == ["closed"]


async def test_reconnecting_gives_up_after_max_attempts(headless: HeadlessBridge) -> None:
    async with serialbridge.connect(headless.url, max_attempts=2) as bridge:
        async with bridge.stream("meter") as frames:
            headless.kill()
            with pytest.raises(
                serialbridge.ConnectionLost, match="gave up after 2 reconnect attempts"
            ):
                await frames.__anext__()
        assert bridge.stats.errors == 2


async def test_closing_the_bridge_ends_a_stream_read_elsewhere(url: str) -> None:
    bridge = await serialbridge.connect(url)
    async with bridge.stream("meter") as frames:

        async def read_all() -> list[object]:
            return [item async for item in frames]

        reader = asyncio.ensure_future(read_all())
        await until(lambda: bridge.stats.messages >= 2, "the subscription")
        await bridge.close()
        assert await reader == []
