#!/usr/bin/env python3
"""Have Serial Bridge ask an instrument for a reading on a schedule, and print its numbers.

Usage: python3 poll-readings.py [URL] [PORT_ID] [COUNT]
  URL      default: $SERIAL_BRIDGE_URL, else ws://127.0.0.1:8765
  PORT_ID  default: $SERIAL_BRIDGE_PORT, else demo
  COUNT    how many readings to print (default 5)

The bridge sends MEAS? every 200 ms; each reply arrives as a `data` message with "poll": "meas".
The port's `parse` setting turns it into numbers (`values`): the simulated port of
examples/demo.json has {"mode": "keyValue"}, for readings like T=22.51,RH=45.2.

The poll belongs to this connection, so when Serial Bridge restarts (or the network drops) the
script connects again, says so on stderr, and starts its poll again; it stops with the reason
when trying again cannot help (refused, or disconnected by the operator).

Needs the `websockets` package: `pip install websockets` (or Debian's python3-websockets).
"""
import asyncio
import json
import os
import sys

import websockets

# Seconds to wait before connecting again: quickly at first, then every 5 s.
RETRY_SECONDS = [0.5, 1, 2, 5]
# Close codes after which connecting again would be wrong: 1008 is the operator's Disconnect.
FINAL_CLOSE_CODES = {1008}


class Stopped(Exception):
    """Serial Bridge said no in a way that trying again cannot change."""


class Closed(Exception):
    """The connection ended before we were done; connecting again may help."""


def arg(index, env, default):
    return sys.argv[index] if len(sys.argv) > index else os.environ.get(env, default)


async def answer(ws, request_id):
    """Waits for the answer to one request (other messages are skipped)."""
    async for raw in ws:
        message = json.loads(raw)
        if message.get("id") != request_id:
            continue
        if message["type"] == "error":
            raise Stopped(f"{message['code']}: {message['message']}")
        return message
    raise Closed()


async def poll_once(ws, port, count, printed):
    """One connection: starts the poll and prints readings; returns how many were printed."""
    hello = json.loads(await ws.recv())
    if "polls" not in hello.get("features", []):
        raise Stopped(f"{hello['server']} does not run polls")
    await ws.send(json.dumps({"type": "subscribe", "ports": [port], "id": "sub"}))
    await answer(ws, "sub")
    # Without "persist", the poll belongs to this connection: it stops when we disconnect.
    start = {"type": "startPoll", "port": port, "name": "meas", "command": "MEAS?",
             "intervalMs": 200, "timeoutMs": 1000, "id": "start"}
    await ws.send(json.dumps(start))
    await answer(ws, "start")
    # Ends quietly when Serial Bridge closes the connection (1001 on a restart).
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
            await ws.send(json.dumps({"type": "stopPoll", "port": port, "name": "meas",
                                      "id": "stop"}))
            await answer(ws, "stop")
            return printed
    raise Closed()


async def poll(url, port, count):
    printed = 0
    failures = 0
    while True:
        ws = None
        try:
            async with websockets.connect(f"{url}/ws") as ws:
                if failures or printed:
                    print(f"connected to {url} again", file=sys.stderr, flush=True)
                failures = 0
                printed = await poll_once(ws, port, count, printed)
                return
        except Closed:
            pass
        except websockets.exceptions.ConnectionClosed:
            pass
        except websockets.exceptions.InvalidHandshake as error:
            raise Stopped(f"refused: {error}") from None
        except OSError as error:
            if printed == 0 and failures == 0:
                raise Stopped(f"cannot connect to {url}: {error} (is Serial Bridge running?)")
            why = f"cannot connect to {url} ({error})"
        if ws is not None:
            reason = f"{ws.close_code} {ws.close_reason}".strip()
            if ws.close_code in FINAL_CLOSE_CODES:
                raise Stopped(f"disconnected by Serial Bridge ({reason})")
            why = f"Serial Bridge closed the connection ({reason})"
        delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
        failures += 1
        print(f"{why}: connecting again in {delay} s", file=sys.stderr, flush=True)
        await asyncio.sleep(delay)


def main():
    url = arg(1, "SERIAL_BRIDGE_URL", "ws://127.0.0.1:8765")
    port = arg(2, "SERIAL_BRIDGE_PORT", "demo")
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    try:
        asyncio.run(poll(url, port, count))
    except KeyboardInterrupt:
        pass
    except Stopped as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
