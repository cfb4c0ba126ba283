"""What the bridge hands a caller: frames, gaps, replies, port information and counters."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, Mapping

# The port's `encoding` setting, as Python codec names.
_CODECS = {"utf8": "utf-8", "latin1": "latin-1", "ascii": "ascii"}


def codec_of(port_encoding: str | None) -> str:
    return _CODECS.get(port_encoding or "utf8", "utf-8")


def parse_ts(value: object) -> datetime:
    """ISO-8601 (`2026-11-23T10:22:10.728Z`) or epoch milliseconds, as an aware UTC datetime."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    if not isinstance(value, str):
        raise ValueError(f"ts is not a time: {value!r}")
    # Python 3.10's fromisoformat does not take a trailing "Z".
    parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def decode_payload(data: object, encoding: object, codec: str) -> tuple[str, bytes]:
    """(text, bytes) of a `data`/`reply` payload: text as sent, or base64 bytes decoded lossily."""
    if not isinstance(data, str):
        raise ValueError("data is not a string")
    if encoding == "base64":
        try:
            raw = base64.b64decode(data, validate=True)
        except binascii.Error as error:
            raise ValueError(f"data is not base64: {error}") from None
        return raw.decode(codec, errors="replace"), raw
    if encoding not in (None, "utf8"):
        raise ValueError(f"unknown encoding {encoding!r}")
    return data, data.encode(codec, errors="replace")


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame read from a port (one line, with the default framing)."""

    port: str
    text: str
    data: bytes
    ts: datetime
    seq: int
    #: "utf8" when the frame was valid text in the port's encoding, else "base64".
    encoding: str = "utf8"
    #: Parsed readings, e.g. {"V": 1.234}, when the bridge parses this port's frames.
    values: Mapping[str, float] | None = None
    units: Mapping[str, str] | None = None
    #: The poll's name when this frame is a poll's reply.
    poll: str | None = None

    @classmethod
    def from_message(cls, message: Mapping[str, Any], port_encoding: str | None) -> Frame:
        seq = message["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise ValueError("seq is not an integer")
        text, data = decode_payload(
            message["data"], message.get("encoding"), codec_of(port_encoding)
        )
        values = message.get("values")
        units = message.get("units")
        poll = message.get("poll")
        return cls(
            port=str(message["port"]),
            text=text,
            data=data,
            ts=parse_ts(message["ts"]),
            seq=seq,
            encoding=str(message.get("encoding", "utf8")),
            values=dict(values) if isinstance(values, dict) else None,
            units=dict(units) if isinstance(units, dict) else None,
            poll=poll if isinstance(poll, str) else None,
        )


@dataclass(frozen=True, slots=True)
class Gap:
    """Frames of `port` this caller will never get: `from_seq` to `to_seq`, both included.

    `to_seq` is None when the count is unknown. `restarted` means the numbering started again
    (the bridge or the port restarted): frames after `from_seq - 1` of the old numbering were
    lost, and the new numbering continues from 1 (a further Gap follows if its first frames
    were lost too).
    """

    port: str
    from_seq: int
    to_seq: int | None
    restarted: bool = False

    @property
    def count(self) -> int | None:
        return None if self.to_seq is None else self.to_seq - self.from_seq + 1


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to a query."""

    port: str
    text: str
    data: bytes
    encoding: str = "utf8"
    #: The reply's lines when the query asked for `expect_lines`.
    lines: tuple[str, ...] | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class PortInfo:
    """A port as the bridge describes it (`hello`, `list`): settings and metrics as in protocol.md."""

    id: str
    path: str
    state: str
    error: str | None
    settings: Mapping[str, Any]
    metrics: Mapping[str, Any]

    @property
    def encoding(self) -> str:
        return str(self.settings.get("encoding", "utf8"))

    @classmethod
    def from_message(cls, info: Mapping[str, Any]) -> PortInfo:
        settings = info.get("settings")
        metrics = info.get("metrics")
        error = info.get("error")
        return cls(
            id=str(info["id"]),
            path=str(info.get("path", "")),
            state=str(info.get("state", "")),
            error=error if isinstance(error, str) else None,
            settings=settings if isinstance(settings, dict) else {},
            metrics=metrics if isinstance(metrics, dict) else {},
        )


@dataclass(frozen=True, slots=True)
class PortStatus:
    """A port changed state: `open`, `closed`, `opening`, `reconnecting`, `error`, `released`."""

    port: str
    state: str
    error: str | None = None
    metrics: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConnectionEvent:
    """The connection to the bridge changed.

    `connected` (first time and after each reconnect), `reconnecting` (lost, trying again;
    `error` says why), `closed` (for good: closed by the caller, kicked by the operator, or
    reconnecting gave up; `error` says why unless the caller closed it).
    """

    state: Literal["connected", "reconnecting", "closed"]
    error: str | None = None


@dataclass(slots=True)
class Stats:
    """Counters since the bridge object was made (`bridge.stats` hands out a copy)."""

    #: Messages received from the bridge, and their size in bytes.
    messages: int = 0
    bytes: int = 0
    #: Data frames handed to streams.
    frames: int = 0
    #: Successful reconnects.
    reconnects: int = 0
    #: Gaps reported to streams (each one a range of lost frames).
    gaps: int = 0
    #: Frames dropped because this client had already delivered their seq.
    duplicates: int = 0
    #: Error messages from the bridge (an answer to a request is also raised to its caller),
    #: messages this client could not read, and failed connection attempts.
    errors: int = 0
