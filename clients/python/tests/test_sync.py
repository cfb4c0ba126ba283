"""SyncBridge: the same operations from plain code, and Ctrl-C in a real process."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Callable

import pytest

import serialbridge
from support.headless import HeadlessBridge
from support.instrument import Instrument
from support.socat_pair import SocatPair
from support.waiting import until_sync


def test_stream_write_and_query_from_plain_code(url: str, instrument: Instrument) -> None:
    instrument.answer("*IDN?", "ACME,Meter,42,1.0")
    with serialbridge.SyncBridge(url) as bridge:
        assert [p.id for p in bridge.ports()] == ["meter"]
        assert bridge.query("meter", "*IDN?", timeout=5).text == "ACME,Meter,42,1.0"
        assert bridge.write("meter", "*RST") == 5
        assert bridge.write_bytes("meter", b"\x00\x01") == 2
        with bridge.stream("meter", timeout=10) as frames:
            instrument.line("V=1")
            instrument.line("V=2")
            got = [next(frames), next(frames)]
        with pytest.raises(serialbridge.Timeout):
            for _ in bridge.stream("meter", timeout=0.2):
                pass
        with pytest.raises(serialbridge.UnknownPort):
            bridge.write("nope", "x")
        assert bridge.stats.frames == 2
    assert [f.text for f in got if isinstance(f, serialbridge.Frame)] == ["V=1", "V=2"]
    until_sync(
        lambda: instrument.received().endswith(b"*RST\n\x00\x01"), "the writes at the instrument"
    )


def test_a_for_loop_over_a_stream_subscribes_and_breaking_out_unsubscribes(
    url: str, instrument: Instrument
) -> None:
    stop = instrument.chatter("line")
    with serialbridge.SyncBridge(url) as bridge:
        for item in bridge.stream("meter", timeout=10):
            assert isinstance(item, serialbridge.Frame) and item.text.startswith("line-")
            break
        # The next stream starts from live frames: the first one's subscription is gone.
        for item in bridge.stream("meter", timeout=10):
            break
    stop()


def test_status_callbacks_run_and_unsubscribe(url: str, pty: SocatPair) -> None:
    with serialbridge.SyncBridge(url) as bridge:
        states: list[str] = []
        stop = bridge.on_status(lambda status: states.append(status.state), "meter")
        until_sync(lambda: bridge.stats.messages >= 2, "hello and the subscription")
        pty.unplug()
        until_sync(lambda: "reconnecting" in states, "the unplug")
        stop()


def test_a_failed_first_connection_raises_and_leaves_no_thread() -> None:
    before = threading.active_count()
    with pytest.raises(serialbridge.ConnectFailed):
        serialbridge.SyncBridge("ws://127.0.0.1:9").open()
    assert threading.active_count() == before


CTRL_C_SCRIPT = textwrap.dedent(
    """
    import sys, threading
    import serialbridge

    try:
        with serialbridge.SyncBridge(sys.argv[1]) as bridge:
            for frame in bridge.stream("meter"):
                print("frame", frame.text, flush=True)
    except KeyboardInterrupt:
        names = sorted(t.name for t in threading.enumerate())
        print("interrupted; threads:", ",".join(names), flush=True)
        sys.stdin.readline()  # stay alive: the test checks the socket is closed already
    """
)


def test_ctrl_c_stops_the_thread_and_closes_the_socket(
    make_bridge: Callable[..., HeadlessBridge], instrument: Instrument, tmp_path: Path
) -> None:
    # With room for one client, a second one connects only once the first socket is closed.
    headless = make_bridge({"maxClients": 1})
    script = tmp_path / "ctrl_c.py"
    script.write_text(CTRL_C_SCRIPT)
    child = subprocess.Popen(
        [sys.executable, str(script), headless.url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stop = instrument.chatter("tick")
        assert child.stdout is not None
        assert child.stdout.readline().startswith("frame tick-")
        stop()
        with pytest.raises(serialbridge.ConnectFailed) as full:
            serialbridge.SyncBridge(headless.url).open()
        assert full.value.status == 503

        child.send_signal(signal.SIGINT)
        line = child.stdout.readline()
        while line.startswith("frame tick-"):  # printed before the signal arrived
            line = child.stdout.readline()
        assert line.strip() == "interrupted; threads: MainThread", line + (
            child.stderr.read() if child.poll() is not None else ""
        )

        def second_client_connects() -> bool:
            try:
                with serialbridge.SyncBridge(headless.url) as bridge:
                    return bridge.connected
            except serialbridge.ConnectFailed:
                return False

        assert until_sync(second_client_connects, "the interrupted client's socket to close")
    finally:
        if child.poll() is None:
            assert child.stdin is not None
            child.stdin.close()
        child.wait(15)
    assert child.returncode == 0
