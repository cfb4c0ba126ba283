"""Which ports this client holds, and handing their frames and gaps to the open streams."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from .errors import BridgeError
from .models import Frame, Gap, Stats
from .sequence import PortSequence
from .stream_buffer import StreamBuffer


class Subscriptions:
    """A port is held while a stream or a status listener needs it; the bridge is subscribed
    to exactly the held ports. Numbering (duplicates, gaps, restarts) is tracked per held port,
    so every stream of that port sees the same frames and the same gaps."""

    def __init__(self, stats: Stats) -> None:
        self._stats = stats
        self._holders: dict[str, int] = {}
        self._sequences: dict[str, PortSequence] = {}
        self._buffers: dict[str, list[StreamBuffer]] = {}

    def held(self) -> list[str]:
        return list(self._holders)

    def acquire(self, port: str, epoch: str | None) -> bool:
        """True when this is the port's first holder: the caller subscribes it."""
        count = self._holders.get(port, 0)
        self._holders[port] = count + 1
        if count == 0:
            self._sequences[port] = PortSequence(port, epoch)
        return count == 0

    def release(self, port: str) -> bool:
        """True when that was the port's last holder: the caller unsubscribes it."""
        count = self._holders.get(port, 0) - 1
        if count > 0:
            self._holders[port] = count
            return False
        self._holders.pop(port, None)
        self._sequences.pop(port, None)
        return count == 0

    def attach(self, buffer: StreamBuffer, ports: Iterable[str]) -> None:
        for port in ports:
            self._buffers.setdefault(port, []).append(buffer)

    def detach(self, buffer: StreamBuffer, ports: Iterable[str]) -> None:
        for port in ports:
            buffers = self._buffers.get(port, [])
            if buffer in buffers:
                buffers.remove(buffer)
            if not buffers:
                self._buffers.pop(port, None)

    def frame(self, message: Mapping[str, Any], port_encoding: str | None) -> None:
        sequence = self._sequences.get(str(message.get("port")))
        if sequence is None:
            return  # a frame sent before our unsubscribe arrived
        frame = Frame.from_message(message, port_encoding)
        keep, gap = sequence.frame(frame.seq)
        if not keep:
            self._stats.duplicates += 1
            return
        if gap is not None:
            self._gap(gap)
        self._stats.frames += 1
        for buffer in self._buffers.get(frame.port, ()):
            buffer.push(frame)

    def server_gap(self, message: Mapping[str, Any], epoch: str | None) -> None:
        sequence = self._sequences.get(str(message.get("port")))
        start, end = message.get("from"), message.get("to")
        if (
            sequence is None
            or not isinstance(start, int)
            or not (end is None or isinstance(end, int))
        ):
            return
        self._gap(sequence.server_gap(start, end, message.get("restarted") is True, epoch))

    def counter(self, port: str, metrics: object, epoch: str | None) -> None:
        """A `status`/`ports` message: a `framesIn` below what we saw means a new numbering."""
        sequence = self._sequences.get(port)
        if sequence is not None and isinstance(metrics, dict):
            gap = sequence.counter(metrics.get("framesIn"), epoch)
            if gap is not None:
                self._gap(gap)

    def resubscribe(
        self, hello: Mapping[str, Any], resume: bool, restarted: set[str]
    ) -> list[dict[str, Any]]:
        """The subscribe messages after a (re)connect, one per port, so one removed port does not
        fail the others. With `resume` the bridge replays from `since` and names its own gaps.
        Without it, a restart seen here is a Gap: a new epoch; with no epoch, a port the caller
        says `restarted`, or a frame counter below our last seq."""
        epoch = hello.get("epoch") if isinstance(hello.get("epoch"), str) else None
        metrics = {
            str(p.get("id")): p.get("metrics")
            for p in hello.get("ports", [])
            if isinstance(p, dict)
        }
        messages: list[dict[str, Any]] = []
        for port, sequence in self._sequences.items():
            if resume and sequence.last is not None and sequence.epoch is not None:
                messages.append(
                    {
                        "type": "subscribe",
                        "ports": [port],
                        "since": {port: sequence.last},
                        "epoch": sequence.epoch,
                    }
                )
                continue
            new_epoch = epoch is not None and sequence.epoch is not None and epoch != sequence.epoch
            if new_epoch or (epoch is None and port in restarted):
                gap = sequence.restart(epoch)
                if gap is not None:
                    self._gap(gap)
            else:
                sequence.epoch = epoch
                self.counter(port, metrics.get(port), epoch)
            messages.append({"type": "subscribe", "ports": [port]})
        return messages

    def fail(self, port: str, error: BridgeError) -> None:
        for buffer in self._buffers.get(port, ()):
            buffer.fail(error)

    def close_all(self, error: BridgeError | None) -> None:
        for buffers in self._buffers.values():
            for buffer in buffers:
                if error is None:
                    buffer.end()
                else:
                    buffer.fail(error)

    def _gap(self, gap: Gap) -> None:
        self._stats.gaps += 1
        for buffer in self._buffers.get(gap.port, ()):
            buffer.push(gap)
