"""The bookkeeping behind gaps and duplicates, and the small pure helpers, without a bridge."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import serialbridge
from serialbridge.backoff import Backoff
from serialbridge.errors import error_from_code
from serialbridge.link import control_url, redact
from serialbridge.models import Frame, Gap, PortInfo, parse_ts
from serialbridge.sequence import PortSequence, restarted_without_epoch
from serialbridge.stream_buffer import StreamBuffer


def test_duplicates_are_dropped_and_jumps_are_gaps() -> None:
    seq = PortSequence("meter", "e1")
    assert seq.frame(7) == (True, None)
    assert seq.frame(8) == (True, None)
    assert seq.frame(8) == (False, None)
    assert seq.frame(3) == (False, None)
    assert seq.frame(12) == (True, Gap("meter", 9, 11))


def test_a_restart_names_what_was_lost_and_numbering_starts_again() -> None:
    seq = PortSequence("meter", None)
    seq.frame(40)
    assert seq.counter(50, None) is None
    assert seq.counter(2, "e2") == Gap("meter", 41, None, restarted=True)
    assert seq.epoch == "e2"
    assert seq.frame(1) == (True, None)
    fresh = PortSequence("meter", None)
    assert fresh.restart("e3") is None  # no frame yet: nothing to measure from


def test_server_gaps_move_the_position() -> None:
    seq = PortSequence("meter", "e1")
    seq.frame(10)
    assert seq.server_gap(11, 20, False, "e1") == Gap("meter", 11, 20)
    assert seq.frame(21) == (True, None)
    assert seq.server_gap(22, None, True, "e2") == Gap("meter", 22, None, True)
    assert seq.frame(3) == (True, Gap("meter", 1, 2))


AT = datetime(2026, 11, 23, tzinfo=timezone.utc)


def frame(seq: int, port: str = "meter") -> Frame:
    return Frame(port, f"n={seq}", b"", AT, seq)


async def test_a_full_buffer_merges_what_it_drops_into_one_gap_per_run() -> None:
    gaps: list[int] = []
    buffer = StreamBuffer(2, lambda: gaps.append(1))
    for n in range(1, 8):
        buffer.push(frame(n))
    buffer.push(Gap("meter", 8, 9))  # a bridge-level gap while full joins the same run
    buffer.push(frame(10))
    got = [await buffer.get(1, "meter") for _ in range(3)]
    assert got == [frame(1), frame(2), Gap("meter", 3, 10)]
    buffer.push(Gap("meter", 11, None, True))
    buffer.push(frame(1))
    assert [await buffer.get(1, "meter") for _ in range(2)] == [
        Gap("meter", 11, None, True),
        frame(1),
    ]
    assert len(gaps) == 1


async def test_a_buffer_ends_or_fails_after_what_it_holds() -> None:
    buffer = StreamBuffer(10)
    buffer.push(frame(1))
    buffer.fail(serialbridge.ConnectionLost("gone"))
    assert await buffer.get(1, "meter") == frame(1)
    with pytest.raises(serialbridge.ConnectionLost):
        await buffer.get(1, "meter")
    ended = StreamBuffer(10)
    ended.end()
    with pytest.raises(StopAsyncIteration):
        await ended.get(None, "meter")
    with pytest.raises(serialbridge.Timeout):
        await StreamBuffer(1).get(0.01, "meter")


def test_backoff_doubles_to_five_seconds_with_jitter_and_resets() -> None:
    steady = Backoff(rand=lambda: 0.0)
    assert [steady.next_delay() for _ in range(7)] == [0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    shaken = Backoff(rand=lambda: 1.0)
    assert shaken.next_delay() == pytest.approx(0.1875)  # shortened by up to a quarter
    steady.reset()
    assert steady.next_delay() == 0.25
    # A refused connection (nothing listening) is tried again at the first delay, and the
    # doubling goes on from where it was for other failures.
    assert [steady.next_delay(refused=True) for _ in range(3)] == [0.25, 0.25, 0.25]
    assert steady.next_delay() == 0.5


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("BAD_MESSAGE", serialbridge.BadMessage),
        ("UNKNOWN_PORT", serialbridge.UnknownPort),
        ("PORT_NOT_OPEN", serialbridge.PortNotOpen),
        ("TIMEOUT", serialbridge.Timeout),
        ("FORBIDDEN", serialbridge.Forbidden),
        ("BUSY", serialbridge.Busy),
        ("RATE_LIMITED", serialbridge.RateLimited),
        ("INTERNAL", serialbridge.InternalError),
        ("TOO_LARGE", serialbridge.TooLarge),
    ],
)
def test_each_protocol_code_has_its_exception(
    code: str, cls: type[serialbridge.BridgeError]
) -> None:
    error = error_from_code(code, "why")
    assert type(error) is cls and error.code == code and error.message == "why"
    assert str(error) == f"{code}: why"


def test_an_unknown_code_is_a_plain_bridge_error_that_keeps_it() -> None:
    error = error_from_code("NEW_CODE", "later")
    assert type(error) is serialbridge.BridgeError and error.code == "NEW_CODE"


def test_urls_get_the_endpoint_token_and_name_and_logs_never_show_the_token() -> None:
    assert control_url("ws://127.0.0.1:8765", None, None) == "ws://127.0.0.1:8765/ws"
    assert (
        control_url("ws://h:1/ws", "a b&c", "my logger")
        == "ws://h:1/ws?token=a+b%26c&client=my+logger"
    )
    assert redact("ws://h:1/ws?token=secret&client=x") == "ws://h:1/ws?token=***&client=x"
    with pytest.raises(serialbridge.ConnectFailed, match="not a WebSocket URL"):
        control_url("http://h:1", None, None)


def test_times_are_utc() -> None:
    assert parse_ts("2026-11-23T10:22:10.728Z") == datetime(
        2026, 11, 23, 10, 22, 10, 728000, tzinfo=timezone.utc
    )
    assert parse_ts(0) == datetime(1970, 1, 1, tzinfo=timezone.utc)


def test_without_epoch_a_restart_is_a_new_client_counter_and_a_reopened_port() -> None:
    known = {
        "meter": PortInfo("meter", "/dev/x", "open", None, {}, {"openSince": "t1"}),
        "dmm": PortInfo("dmm", "/dev/y", "open", None, {}, {"openSince": "t1"}),
    }
    ports = [
        {"id": "meter", "metrics": {"openSince": "t2"}},
        {"id": "dmm", "metrics": {"openSince": "t1"}},
    ]
    # The same server hands out a higher client id on every connection.
    assert (
        restarted_without_epoch({"clientId": "c3"}, {"clientId": "c4", "ports": ports}, known)
        == set()
    )
    assert restarted_without_epoch(
        {"clientId": "c3"}, {"clientId": "c1", "ports": ports}, known
    ) == {"meter"}
    assert (
        restarted_without_epoch({"clientId": "x"}, {"clientId": "c1", "ports": ports}, known)
        == set()
    )
