"""Command-line helpers: `python -m serialbridge tail URL PORT` and `... log URL PORT FILE`.

Exit codes: 0 done (`--count` reached), 1 the bridge or the connection failed, 2 bad usage,
130 stopped with Ctrl-C.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Sequence, TextIO

from .errors import BridgeError, ConnectFailed, ConnectionLost
from .models import ConnectionEvent, Frame, Gap, PortStatus
from .sync import SyncBridge

CSV_COLUMNS = ["ts", "port", "seq", "kind", "text", "values"]


def describe_gap(gap: Gap) -> str:
    if gap.restarted:
        return (
            f"{gap.port}: the numbering restarted (the bridge or the port restarted);"
            f" frames from {gap.from_seq} on were lost"
        )
    if gap.to_seq == gap.from_seq:
        return f"{gap.port}: frame {gap.from_seq} was lost"
    if gap.to_seq is None:
        return f"{gap.port}: frames from {gap.from_seq} on were lost"
    return f"{gap.port}: frames {gap.from_seq} to {gap.to_seq} were lost ({gap.count})"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("url", help="the bridge, e.g. ws://127.0.0.1:8765")
    common.add_argument("port", help="a port id, e.g. meter")
    common.add_argument(
        "--token",
        default=os.environ.get("SERIAL_BRIDGE_TOKEN"),
        help="the bridge's token (default: $SERIAL_BRIDGE_TOKEN)",
    )
    common.add_argument(
        "--client", help="a name for this client, shown in the bridge's client list"
    )
    common.add_argument("--count", type=_positive, help="stop after this many frames")
    common.add_argument(
        "--timeout", type=float, help="fail when no frame comes for this many seconds"
    )
    common.add_argument(
        "--no-reconnect", action="store_true", help="stop when the connection drops"
    )

    # `serialbridge` when run as the installed script, `python -m serialbridge` otherwise.
    prog = (
        "serialbridge"
        if os.path.basename(sys.argv[0]) == "serialbridge"
        else "python -m serialbridge"
    )
    parser = argparse.ArgumentParser(prog=prog, description="Serial Bridge command-line helpers.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{tail,log}")
    tail = commands.add_parser(
        "tail", parents=[common], help="print each frame of a port as it arrives"
    )
    tail.add_argument("--seq", action="store_true", help="put the time and seq before each line")
    log = commands.add_parser(
        "log", parents=[common], help="append each frame of a port to a CSV file"
    )
    log.add_argument("file", help="the CSV file to write (columns: " + ", ".join(CSV_COLUMNS) + ")")
    log.add_argument(
        "--append", action="store_true", help="add to an existing file instead of refusing it"
    )
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    say = _stderr
    try:
        if args.command == "log":
            return _log(args, say)
        return _tail(args, say)
    except KeyboardInterrupt:
        return 130
    except (ConnectFailed, ConnectionLost) as error:
        say(error.message)
        return 1
    except BridgeError as error:
        say(str(error))
        return 1
    except BrokenPipeError:
        # `tail ... | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _tail(args: argparse.Namespace, say: Callable[[str], None]) -> int:
    for item in _frames(args, say):
        if isinstance(item, Gap):
            say(describe_gap(item))
            continue
        prefix = f"{item.ts.isoformat(timespec='milliseconds')} #{item.seq} " if args.seq else ""
        print(prefix + item.text, flush=True)
    return 0


def _log(args: argparse.Namespace, say: Callable[[str], None]) -> int:
    existing = os.path.exists(args.file) and os.path.getsize(args.file) > 0
    if existing and not args.append:
        say(f"{args.file} already exists: add --append to add to it, or give another name")
        return 1
    written = 0
    with open(args.file, "a", newline="", encoding="utf-8") as out:
        rows = csv.writer(out)
        if not existing:
            rows.writerow(CSV_COLUMNS)
        say(f"logging {args.port} to {args.file} (Ctrl-C to stop)")
        try:
            for item in _frames(args, say):
                _write_row(rows, item)
                out.flush()  # a crash or Ctrl-C loses no frame already received
                if isinstance(item, Frame):
                    written += 1
        finally:
            say(f"{written} frames written to {args.file}")
    return 0


def _write_row(rows: Any, item: Frame | Gap) -> None:
    if isinstance(item, Gap):
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        rows.writerow([now, item.port, "", "gap", describe_gap(item), ""])
        return
    values = json.dumps(dict(item.values)) if item.values else ""
    rows.writerow(
        [item.ts.isoformat(timespec="milliseconds"), item.port, item.seq, "data", item.text, values]
    )


def _frames(args: argparse.Namespace, say: Callable[[str], None]) -> Iterator[Frame | Gap]:
    reconnect = not args.no_reconnect
    with SyncBridge(args.url, token=args.token, client=args.client, reconnect=reconnect) as bridge:
        bridge.on_connection(lambda event: _report_connection(event, say))
        bridge.on_status(lambda status: _report_status(status, say))
        frames = 0
        for item in bridge.stream(args.port, timeout=args.timeout):
            yield item
            if isinstance(item, Frame):
                frames += 1
                if args.count is not None and frames >= args.count:
                    return


def _report_connection(event: ConnectionEvent, say: Callable[[str], None]) -> None:
    if event.state == "reconnecting":
        say(f"{event.error}; reconnecting")
    elif event.state == "connected":
        say("connected again")


def _report_status(status: PortStatus, say: Callable[[str], None]) -> None:
    say(f"{status.port} is {status.state}" + (f": {status.error}" if status.error else ""))


def _stderr(line: str, stream: TextIO | None = None) -> None:
    print(f"serialbridge: {line}", file=stream or sys.stderr, flush=True)
