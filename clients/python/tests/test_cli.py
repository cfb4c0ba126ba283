"""`python -m serialbridge tail|log`: output, CSV, errors in one line, exit codes, Ctrl-C."""

from __future__ import annotations

import csv
import signal
import subprocess
import sys
from pathlib import Path

from support.instrument import Instrument
from support.waiting import until_sync


def cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "serialbridge", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(child: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = child.communicate(timeout=30)
    return child.returncode, out, err


def test_tail_prints_each_line(url: str, instrument: Instrument) -> None:
    stop = instrument.chatter("T")
    code, out, err = finish(cli("tail", url, "meter", "--count", "3"))
    stop()
    lines = out.splitlines()
    assert code == 0, err
    assert len(lines) == 3 and all(line.startswith("T-") for line in lines)
    numbers = [int(line[2:]) for line in lines]
    assert numbers == list(range(numbers[0], numbers[0] + 3))


def test_tail_with_seq_puts_time_and_seq_first(url: str, instrument: Instrument) -> None:
    stop = instrument.chatter("T")
    code, out, _ = finish(cli("tail", url, "meter", "--count", "1", "--seq"))
    stop()
    ts, seq, text = out.split()
    assert code == 0 and ts.endswith("+00:00") and seq.startswith("#") and text.startswith("T-")


def test_tail_errors_are_one_line_with_exit_code_1(url: str) -> None:
    code, out, err = finish(cli("tail", url, "nope"))
    assert (code, out, err) == (1, "", "serialbridge: UNKNOWN_PORT: unknown port: nope\n")
    code, _, err = finish(cli("tail", "ws://127.0.0.1:9", "meter"))
    assert code == 1
    assert (
        err.startswith("serialbridge: cannot connect to ws://127.0.0.1:9/ws:")
        and err.count("\n") == 1
    )


def test_tail_times_out_when_the_port_is_silent(url: str, instrument: Instrument) -> None:
    code, _, err = finish(cli("tail", url, "meter", "--timeout", "0.3"))
    assert (code, err) == (1, "serialbridge: TIMEOUT: nothing from meter within 0.3 s\n")


def test_bad_usage_exits_2() -> None:
    code, _, err = finish(cli("tail", "ws://127.0.0.1:8765"))
    assert code == 2 and "usage:" in err


def test_log_writes_a_csv_row_per_frame(url: str, instrument: Instrument, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    stop = instrument.chatter("V")
    code, _, err = finish(cli("log", url, "meter", str(target), "--count", "3"))
    stop()
    assert code == 0, err
    rows = list(csv.DictReader(target.open(newline="")))
    assert [row["kind"] for row in rows] == ["data"] * 3
    assert all(
        row["port"] == "meter" and row["text"].startswith("V-") and row["ts"].endswith("+00:00")
        for row in rows
    )
    seqs = [int(row["seq"]) for row in rows]
    assert seqs == list(range(seqs[0], seqs[0] + 3))
    assert "3 frames written" in err

    code, _, err = finish(cli("log", url, "meter", str(target), "--count", "1"))
    assert code == 1 and "already exists: add --append" in err
    stop = instrument.chatter("W")
    code, _, _ = finish(cli("log", url, "meter", str(target), "--count", "1", "--append"))
    stop()
    rows = list(csv.DictReader(target.open(newline="")))
    assert code == 0 and len(rows) == 4 and rows[-1]["text"].startswith("W-")


def test_ctrl_c_stops_log_with_130_and_keeps_every_row(
    url: str, instrument: Instrument, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    child = cli("log", url, "meter", str(target))
    assert child.stderr is not None
    assert "logging meter to" in child.stderr.readline()
    stop = instrument.chatter("V")
    until_sync(
        lambda: target.exists() and target.read_text().count("\n") >= 3, "two rows in the file"
    )
    child.send_signal(signal.SIGINT)
    code, _, err = finish(child)
    stop()
    rows = list(csv.DictReader(target.open(newline="")))
    assert code == 130
    assert f"{len(rows)} frames written" in err
