"""fingerprint=: a bridge with `server.tls: "auto"` pinned by the fingerprint it prints."""

from __future__ import annotations

import asyncio
import re
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

import serialbridge
from support.headless import REPO_ROOT, HeadlessBridge
from support.instrument import Instrument
from support.waiting import until

TOKEN = "pinning-token-0123"


@pytest.fixture
def tls_bridge(make_bridge: Callable[..., HeadlessBridge]) -> HeadlessBridge:
    return make_bridge({"tls": "auto", "token": TOKEN})


def other_than(fingerprint: str) -> str:
    """The same 32 pairs with the last one changed: a certificate that is not this one."""
    return fingerprint[:-2] + ("01" if fingerprint.endswith("00") else "00")


async def test_the_right_pin_connects_and_streams_without_it_the_certificate_is_refused(
    tls_bridge: HeadlessBridge, instrument: Instrument
) -> None:
    assert tls_bridge.url.startswith("wss://")
    with pytest.raises(serialbridge.ConnectFailed, match="CERTIFICATE_VERIFY_FAILED"):
        await serialbridge.connect(tls_bridge.url, token=TOKEN, reconnect=False)
    async with serialbridge.connect(
        tls_bridge.url, token=TOKEN, fingerprint=tls_bridge.fingerprint
    ) as bridge:
        async with bridge.stream("meter", timeout=10) as frames:
            instrument.line("V=1.25")
            frame = await frames.__anext__()
    assert isinstance(frame, serialbridge.Frame) and frame.text == "V=1.25"
    # Written the other ways people copy it: lower case, or the 64 digits alone.
    for pin in (tls_bridge.fingerprint.lower(), tls_bridge.fingerprint.replace(":", "")):
        async with serialbridge.connect(tls_bridge.url, token=TOKEN, fingerprint=pin) as again:
            assert [p.id for p in await again.ports()] == ["meter"]


def test_the_sync_api_pins_the_same_way(tls_bridge: HeadlessBridge, instrument: Instrument) -> None:
    instrument.answer("*IDN?", "ACME,Meter,42,1.0")
    pin = tls_bridge.fingerprint
    with serialbridge.SyncBridge(tls_bridge.url, token=TOKEN, fingerprint=pin) as bridge:
        assert bridge.query("meter", "*IDN?", timeout=5).text == "ACME,Meter,42,1.0"
    with pytest.raises(serialbridge.ConnectFailed, match="did not present the pinned certificate"):
        serialbridge.SyncBridge(tls_bridge.url, token=TOKEN, fingerprint=other_than(pin)).open()


async def test_a_wrong_pin_is_refused_in_words_naming_the_certificate_it_saw(
    tls_bridge: HeadlessBridge,
) -> None:
    wrong = other_than(tls_bridge.fingerprint)
    with pytest.raises(serialbridge.ConnectFailed) as raised:
        await serialbridge.connect(tls_bridge.url, token=TOKEN, fingerprint=wrong)
    assert raised.value.message == (
        f"127.0.0.1:{tls_bridge.port} did not present the pinned certificate: its SHA-256 "
        f"fingerprint is {tls_bridge.fingerprint}, the pin is {wrong}. Nothing was sent (no "
        "token). If the bridge made a new certificate, pin the fingerprint it shows now."
    )
    assert TOKEN not in str(raised.value)


async def test_a_wrong_pin_sends_nothing_to_the_server(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    # TLS 1.2: the server's handshake ends before the client can check the certificate (the
    # client's Finished comes first), so anything the client sent next would arrive here.
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    handshakes: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received = b""
        try:
            while chunk := await reader.read(65536):
                received += chunk
        except (ConnectionError, ssl.SSLError):
            pass
        handshakes.append(received)
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(serialbridge.ConnectFailed, match="did not present the pinned"):
            await serialbridge.connect(
                f"wss://127.0.0.1:{port}", token=TOKEN, fingerprint="00" * 32
            )
        await until(lambda: len(handshakes) == 1, "the server to see the connection end")
        assert handshakes == [b""], "a completed handshake and not one byte after it"
    finally:
        server.close()
        await server.wait_closed()


async def test_a_pin_with_ws_or_a_malformed_pin_is_refused_before_connecting() -> None:
    with pytest.raises(serialbridge.ConnectFailed, match="plain ws://: use the wss:// address"):
        serialbridge.connect("ws://127.0.0.1:9", fingerprint="00" * 32)
    with pytest.raises(
        serialbridge.ConnectFailed, match=r"32 pairs of hex digits .* not \'AB:CD\'"
    ):
        serialbridge.connect("wss://127.0.0.1:9", fingerprint="AB:CD")


def test_the_docs_tls_example_runs_as_written(
    tls_bridge: HeadlessBridge, instrument: Instrument, tmp_path: Path
) -> None:
    doc = (REPO_ROOT / "docs" / "clients.md").read_text()
    (example,) = [b for b in re.findall(r"```python\n(.*?)```", doc, re.S) if "fingerprint=" in b]
    documented = re.search(r'FINGERPRINT = "(\S+)"', example)
    assert documented is not None
    script = tmp_path / "example.py"
    script.write_text(
        example.replace("wss://127.0.0.1:8765", tls_bridge.url)
        .replace('"my-lab-token"', repr(TOKEN))
        .replace(documented.group(1), tls_bridge.fingerprint)
    )
    instrument.answer("*IDN?", "ACME,Meter,42,1.0")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ACME,Meter,42,1.0\n"
