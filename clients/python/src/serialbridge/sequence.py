"""One port's frame numbering: what `seq` says about duplicates, gaps and restarts."""

from __future__ import annotations

from typing import Any, Mapping

from .models import Gap, PortInfo


class PortSequence:
    """The last seq this client handed on for one port, and the epoch that numbering belongs to.

    `last` is None until the first frame: before that there is no position to measure a gap
    from. After a restart it is 0, so a first frame of the new numbering above 1 is a gap.
    """

    def __init__(self, port: str, epoch: str | None) -> None:
        self.port = port
        self.epoch = epoch
        self.last: int | None = None

    def frame(self, seq: int) -> tuple[bool, Gap | None]:
        """(keep, gap before it): a seq at or below the last one is a duplicate, not kept."""
        last = self.last
        if last is not None and seq <= last:
            return False, None
        self.last = seq
        if last is not None and seq > last + 1:
            return True, Gap(self.port, last + 1, seq - 1)
        return True, None

    def server_gap(
        self, from_seq: int, to_seq: int | None, restarted: bool, epoch: str | None
    ) -> Gap:
        """A `gap` message: the bridge names what its replay ring no longer holds."""
        if restarted:
            self.epoch = epoch
            self.last = 0
        elif to_seq is not None:
            self.last = max(self.last or 0, to_seq)
        else:
            self.last = None
        return Gap(self.port, from_seq, to_seq, restarted)

    def restart(self, epoch: str | None) -> Gap | None:
        """The numbering started again: every frame after the last one is lost to this client."""
        self.epoch = epoch
        if self.last is None:
            return None
        gap = Gap(self.port, self.last + 1, None, restarted=True)
        self.last = 0
        return gap

    def counter(self, frames_in: object, epoch: str | None) -> Gap | None:
        """A `framesIn` below our last seq can only mean a new numbering (seq counts frames)."""
        if isinstance(frames_in, int) and self.last is not None and frames_in < self.last:
            return self.restart(epoch)
        return None


def restarted_without_epoch(
    before: Mapping[str, Any], hello: Mapping[str, Any], known: Mapping[str, PortInfo]
) -> set[str]:
    """Ports that look restarted to a bridge without `epoch` (Serial Bridge 0.1): its client ids
    count up from c1 in each server, and a restarted process opened its ports anew. Both
    together, never one alone: a settings change renews the server but keeps the ports and
    their numbering, and a port unplugged meanwhile reopens under the same numbering."""
    old_id, new_id = _client_number(before.get("clientId")), _client_number(hello.get("clientId"))
    if old_id is None or new_id is None or new_id > old_id:
        return set()
    restarted = set()
    for raw in hello.get("ports", []):
        if not isinstance(raw, dict):
            continue
        old = known.get(str(raw.get("id")))
        metrics = raw.get("metrics")
        opened = metrics.get("openSince") if isinstance(metrics, dict) else None
        if old is not None and opened != old.metrics.get("openSince"):
            restarted.add(old.id)
    return restarted


def _client_number(client_id: object) -> int | None:
    if isinstance(client_id, str) and client_id[:1] == "c" and client_id[1:].isdigit():
        return int(client_id[1:])
    return None
