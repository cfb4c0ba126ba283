"""Every Python example and command line in docs/clients.md, run against a real bridge."""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable, Iterator

import pytest

from support.headless import REPO_ROOT, HeadlessBridge
from support.instrument import Instrument
from support.waiting import until_sync

DOC = (REPO_ROOT / "docs" / "clients.md").read_text()
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", DOC, re.S)
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", DOC, re.S)
DOC_URL = "ws://127.0.0.1:8765"


class Example:
    """One example as a running process, with its stdout lines collected as they come."""

    def __init__(self, code: str, url: str, folder: Path) -> None:
        script = folder / "example.py"
        script.write_text(code.replace(DOC_URL, url))
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, str(script)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, predicate: Callable[[list[str]], bool], what: str) -> None:
        until_sync(lambda: predicate(self.lines) or self.proc.poll() is not None, what)
        assert predicate(self.lines), f"{what}: {self.lines} {self.stderr()}"

    def interrupt(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(30)

    def stderr(self) -> str:
        return self.proc.stderr.read() if self.proc.stderr and self.proc.poll() is not None else ""


@pytest.fixture
def run_example(tmp_path: Path) -> Iterator[Callable[[str, str], Example]]:
    """Starts examples; any still running when the test ends (e.g. it failed) is killed."""
    started: list[Example] = []

    def run(code: str, url: str) -> Example:
        folder = tmp_path / f"example-{len(started)}"
        folder.mkdir()
        started.append(Example(code, url, folder))
        return started[-1]

    yield run
    for example in started:
        if example.proc.poll() is None:
            example.proc.kill()
            example.proc.wait(10)


def test_the_page_has_the_examples_this_test_knows() -> None:
    assert len(PYTHON_BLOCKS) == 5  # the fifth, with TLS, runs in test_pinning.py


def test_the_plain_script_queries_then_prints_readings(
    url: str, instrument: Instrument, run_example: Callable[[str, str], Example]
) -> None:
    instrument.answer("*IDN?", "ACME,Meter,42,1.0")
    example = run_example(PYTHON_BLOCKS[0], url)
    example.wait_for(lambda lines: lines[:1] == ["ACME,Meter,42,1.0"], "the *IDN? answer")
    stop = instrument.chatter("V")
    example.wait_for(lambda lines: len(lines) >= 3, "two readings")
    stop()
    assert re.fullmatch(r"\S+\+00:00 \d+ V-\d+", example.lines[1])
    assert example.interrupt() == -signal.SIGINT  # Ctrl-C ends the script


def test_the_asyncio_example_writes_then_streams(
    url: str, instrument: Instrument, run_example: Callable[[str, str], Example]
) -> None:
    example = run_example(PYTHON_BLOCKS[1], url)
    until_sync(lambda: "MEAS:CONT ON" in instrument.lines(), "the command at the instrument")
    stop = instrument.chatter("V")
    example.wait_for(lambda lines: len(lines) >= 2, "two readings")
    stop()
    assert all(re.fullmatch(r"\d+ V-\d+", line) for line in example.lines)
    example.interrupt()


def test_the_logger_prints_a_gap_across_a_bridge_restart(
    headless: HeadlessBridge, instrument: Instrument, run_example: Callable[[str, str], Example]
) -> None:
    example = run_example(PYTHON_BLOCKS[2], headless.url)
    stop = instrument.chatter("V")
    example.wait_for(lambda lines: len(lines) >= 1, "a reading")
    headless.restart()
    example.wait_for(lambda lines: any(line.startswith("lost ") for line in lines), "a gap line")
    gap = next(line for line in example.lines if line.startswith("lost "))
    assert re.fullmatch(r"lost \d+ to None restart", gap)
    example.wait_for(lambda lines: re.fullmatch(r"\d+ V-\d+", lines[-1]) is not None, "data again")
    stop()
    example.interrupt()


def test_the_error_example_catches_timeout(
    url: str, instrument: Instrument, run_example: Callable[[str, str], Example]
) -> None:
    example = run_example(PYTHON_BLOCKS[3], url)
    assert example.proc.wait(30) == 0
    assert example.lines == ["no answer: TIMEOUT no reply within 500 ms"]


def test_the_command_lines_run(url: str, instrument: Instrument, tmp_path: Path) -> None:
    commands = [
        line.split("#")[0].strip()
        for block in SHELL_BLOCKS
        for line in block.splitlines()
        if line.startswith("python -m serialbridge")
    ]
    assert len(commands) == 3
    stop = instrument.chatter("V")
    for command in commands:
        args = shlex.split(command.replace(DOC_URL, url))[1:]
        done = subprocess.run(
            [sys.executable, *args, "--count", "1"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr
    stop()
    assert (tmp_path / "out.csv").read_text().startswith("ts,port,seq,kind,text,values")
