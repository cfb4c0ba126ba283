#!/usr/bin/env python3
"""Have Serial Bridge ask an instrument for a reading on a schedule, and print its numbers.

Usage: python3 poll-readings.py [URL] [PORT_ID] [COUNT]
  URL      default: $SERIAL_BRIDGE_URL, else ws://127.0.0.1:8765
  PORT_ID  default: $SERIAL_BRIDGE_PORT, else demo
  COUNT    how many readings to print (default 5)

The bridge sends MEAS? every 200 ms; each reply arrives as a `data` message with "poll": "meas".
The port's `parse` setting turns it into numbers (`values`): the simulated port of
examples/demo.json has {"mode": "keyValue"}, for readings like T=22.51,RH=45.2.

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
    """Waits for the answer to one request (other messages are skipped)."""
    async for raw in ws:
        message = json.loads(raw)
        if message.get("id") != request_id:
            continue
        if message["type"] == "error":
            raise RuntimeError(f"{message['code']}: {message['message']}")
        return message
    raise RuntimeError("the connection closed before the answer came")


async def poll(url, port, count):
    async with websockets.connect(f"{url}/ws") as ws:
        hello = json.loads(await ws.recv())
        if "polls" not in hello.get("features", []):
            raise RuntimeError(f"{hello['server']} does not run polls")
        await ws.send(json.dumps({"type": "subscribe", "ports": [port], "id": "sub"}))
        await answer(ws, "sub")
        # Without "persist", the poll belongs to this connection: it stops when we disconnect.
        start = {"type": "startPoll", "port": port, "name": "meas", "command": "MEAS?",
                 "intervalMs": 200, "timeoutMs": 1000, "id": "start"}
        await ws.send(json.dumps(start))
        await answer(ws, "start")
        printed = 0
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] != "data" or message.get("poll") != "meas":
                continue
            values = message.get("values")
            if values:
                print(" ".join(f"{name}={value}" for name, value in values.items()), flush=True)
            else:
                print(f"(no numbers) {message['data']}", flush=True)
            printed += 1
            if printed >= count:
                break
        await ws.send(json.dumps({"type": "stopPoll", "port": port, "name": "meas", "id": "stop"}))
        await answer(ws, "stop")


def main():
    url = arg(1, "SERIAL_BRIDGE_URL", "ws://127.0.0.1:8765")
    port = arg(2, "SERIAL_BRIDGE_PORT", "demo")
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    try:
        asyncio.run(poll(url, port, count))
    except RuntimeError as error:
        sys.exit(str(error))
    except websockets.exceptions.InvalidHandshake as error:
        sys.exit(f"refused: {error}")
    except OSError as error:
        sys.exit(f"cannot connect to {url}: {error} (is Serial Bridge running?)")


if __name__ == "__main__":
    main()
