"""Frame.values and Frame.units from a port that parses its frames (port setting `parse`),
against a real headless bridge on a socat line."""

from __future__ import annotations

from typing import Callable

import serialbridge
from support.headless import HeadlessBridge
from support.instrument import Instrument

KEY_VALUE = {"parse": {"mode": "keyValue"}}


async def test_frames_of_a_parsing_port_carry_values_and_units(
    make_bridge: Callable[..., HeadlessBridge], instrument: Instrument
) -> None:
    bridge_process = make_bridge(port=KEY_VALUE)
    async with serialbridge.connect(bridge_process.url) as bridge:
        async with bridge.stream("meter", timeout=10) as frames:
            instrument.line("T=22.4,RH=45.2")
            instrument.line("V=1.5V;I=-0.02A")
            instrument.line("hello world")
            got = [await frames.__anext__() for _ in range(3)]
    reading, supply, noise = got
    assert isinstance(reading, serialbridge.Frame)
    assert reading.values == {"T": 22.4, "RH": 45.2} and reading.units is None
    assert isinstance(supply, serialbridge.Frame)
    assert supply.values == {"V": 1.5, "I": -0.02}
    assert supply.units == {"V": "V", "I": "A"}
    assert isinstance(noise, serialbridge.Frame)
    assert noise.text == "hello world" and noise.values is None and noise.units is None


async def test_a_polls_reply_carries_its_values(
    make_bridge: Callable[..., HeadlessBridge], instrument: Instrument
) -> None:
    instrument.answer("MEAS?", "T=21.5C,RH=40")
    bridge_process = make_bridge(port=KEY_VALUE)
    async with serialbridge.connect(bridge_process.url) as bridge:
        async with bridge.stream("meter", timeout=10) as frames:
            await bridge.start_poll("meter", "env", "MEAS?", 0.1)
            frame = await frames.__anext__()
            await bridge.stop_poll("meter", "env")
    assert isinstance(frame, serialbridge.Frame) and frame.poll == "env"
    assert frame.values == {"T": 21.5, "RH": 40}
    assert frame.units == {"T": "C"}
