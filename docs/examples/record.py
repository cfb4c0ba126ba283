#!/usr/bin/env python3
"""Record a port for a while, then say where the file is and how much went into it.

Usage: python3 record.py [URL] [PORT_ID] [SECONDS]
  URL      default: $SERIAL_BRIDGE_URL, else ws://127.0.0.1:8765
  PORT_ID  default: $SERIAL_BRIDGE_PORT, else demo
  SECONDS  default: 3

Needs the `websockets` package: `pip install websockets` (or Debian's python3-websockets).
"""
import asyncio
import json
import os
import sys

import websockets


def arg(index, env, default):
    return sys.argv[index] if len(sys.argv) > index else os.environ.get(env, default)


async def answer(ws, request_id):
    """The message that answers the request with this id (others are skipped)."""
    async for raw in ws:
        message = json.loads(raw)
        if message.get("id") == request_id:
            if message["type"] == "error":
                raise RuntimeError(f"{message['code']}: {message['message']}")
            return message
    raise RuntimeError("the connection closed before the answer came")


async def record(url, port, seconds):
    async with websockets.connect(f"{url}/ws") as ws:
        hello = json.loads(await ws.recv())
        # Send `record` only to a server that says it has it.
        if "record" not in hello.get("features", []):
            raise RuntimeError(f"{hello['server']} cannot record")

        await ws.send(json.dumps({"type": "record", "port": port, "enabled": True, "id": "on"}))
        status = (await answer(ws, "on"))["recording"]
        if status["state"] == "error":
            raise RuntimeError(f"recording failed: {status['error']}")
        print(f"recording {port} to {status['file']}")

        await asyncio.sleep(seconds)

        await ws.send(json.dumps({"type": "list", "id": "now"}))
        ports = (await answer(ws, "now"))["ports"]
        now = next(p for p in ports if p["id"] == port)["recording"]
        await ws.send(json.dumps({"type": "record", "port": port, "enabled": False, "id": "off"}))
        await answer(ws, "off")
        print(f"stopped: {now['frames']} frames, {now['bytes']} bytes, {now['dropped']} dropped")


def main():
    url = arg(1, "SERIAL_BRIDGE_URL", "ws://127.0.0.1:8765")
    port = arg(2, "SERIAL_BRIDGE_PORT", "demo")
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3
    try:
        asyncio.run(record(url, port, seconds))
    except RuntimeError as error:
        # e.g. "FORBIDDEN: this client is read-only" or "UNKNOWN_PORT: unknown port: x"
        sys.exit(str(error))
    except OSError as error:
        sys.exit(f"cannot connect to {url}: {error} (is Serial Bridge running?)")


if __name__ == "__main__":
    main()
