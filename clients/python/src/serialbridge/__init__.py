"""Serial Bridge client: read instruments, send commands, survive reconnects without losing track.

    async with serialbridge.connect("ws://127.0.0.1:8765") as bridge:
        async for frame in bridge.stream("meter"):
            print(frame.text)

    with serialbridge.SyncBridge("ws://127.0.0.1:8765") as bridge:
        print(bridge.query("meter", "*IDN?").text)
"""

from .backoff import Backoff
from .bridge import AsyncBridge, connect
from .errors import (
    BadMessage,
    BridgeError,
    Busy,
    ConnectFailed,
    ConnectionLost,
    Forbidden,
    InternalError,
    NotSupported,
    PortNotOpen,
    RateLimited,
    Timeout,
    TooLarge,
    UnknownPort,
)
from .models import ConnectionEvent, Frame, Gap, PortInfo, PortStatus, Reply, Stats
from .stream import Stream
from .sync import SyncBridge, SyncStream

__version__ = "0.1.0"

__all__ = [
    "AsyncBridge",
    "Backoff",
    "BadMessage",
    "BridgeError",
    "Busy",
    "ConnectFailed",
    "ConnectionEvent",
    "ConnectionLost",
    "Forbidden",
    "Frame",
    "Gap",
    "InternalError",
    "NotSupported",
    "PortInfo",
    "PortNotOpen",
    "PortStatus",
    "RateLimited",
    "Reply",
    "Stats",
    "Stream",
    "SyncBridge",
    "SyncStream",
    "Timeout",
    "TooLarge",
    "UnknownPort",
    "connect",
]
