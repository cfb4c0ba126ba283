"""on_status and on_connection: a real unplug (socat killed) and re-plug, and unsubscribing."""

from __future__ import annotations

import serialbridge
from support.headless import HeadlessBridge
from support.instrument import Instrument
from support.socat_pair import SocatPair
from support.waiting import until


async def test_status_callbacks_see_the_unplug_and_the_replug(url: str, pty: SocatPair) -> None:
    async with serialbridge.connect(url) as bridge:
        seen: list[serialbridge.PortStatus] = []
        later: list[str] = []
        stop = bridge.on_status(seen.append, "meter")
        await until(lambda: bridge.stats.messages >= 2, "hello and the status subscription")

        pty.unplug()
        await until(lambda: any(s.state == "reconnecting" for s in seen), "the unplug")
        gone = next(s for s in seen if s.state == "reconnecting")
        assert gone.port == "meter" and gone.error and "tty-a" in gone.error

        stop()
        bridge.on_status(lambda status: later.append(status.state), "meter")
        pty.plug()
        await until(lambda: "open" in later, "the re-plug")
        assert "open" not in [s.state for s in seen[seen.index(gone) :]]
        assert (await bridge.ports())[0].state == "open"


async def test_a_status_callback_without_ports_hears_the_streamed_ports(
    url: str, pty: SocatPair
) -> None:
    async with serialbridge.connect(url) as bridge:
        states: list[str] = []
        bridge.on_status(lambda status: states.append(status.state))
        async with bridge.stream("meter"):
            pty.unplug()
            await until(lambda: "reconnecting" in states, "the unplug")


async def test_a_failing_callback_does_not_stop_the_connection(
    url: str, instrument: Instrument, pty: SocatPair
) -> None:
    def broken(status: serialbridge.PortStatus) -> None:
        raise RuntimeError("a bug in the caller's callback")

    async with serialbridge.connect(url) as bridge:
        states: list[str] = []
        async with bridge.stream("meter", timeout=10) as frames:
            bridge.on_status(broken)
            bridge.on_status(lambda status: states.append(status.state))
            pty.unplug()
            await until(lambda: "reconnecting" in states, "the unplug")
            pty.plug()
            fresh = Instrument(pty.b)
            stop = fresh.chatter("after")
            frame = await frames.__anext__()
            stop()
            fresh.close()
    assert isinstance(frame, serialbridge.Frame) and frame.text.startswith("after-")


async def test_connection_events_follow_a_bridge_restart(headless: HeadlessBridge) -> None:
    async with serialbridge.connect(headless.url) as bridge:
        events: list[serialbridge.ConnectionEvent] = []
        bridge.on_connection(events.append)
        headless.restart()
        await until(
            lambda: [e.state for e in events] == ["reconnecting", "connected"], "reconnect events"
        )
        assert events[0].error is not None
    assert events[-1] == serialbridge.ConnectionEvent("closed", None)
