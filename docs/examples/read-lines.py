#!/usr/bin/env python3
"""Print every line an instrument sends, read from a Serial Bridge port stream.

Usage: python3 read-lines.py [URL] [PORT_ID] [COUNT]
  URL      default: $SERIAL_BRIDGE_URL, else ws://127.0.0.1:8765
  PORT_ID  default: $SERIAL_BRIDGE_PORT, else demo
  COUNT    stop after this many lines (default: run until Ctrl+C)

Needs the `websockets` package: `pip install websockets` (or Debian's python3-websockets).
"""
import asyncio
import os
import sys

import websockets


def arg(index, env, default):
    return sys.argv[index] if len(sys.argv) > index else os.environ.get(env, default)


async def read_lines(url, port, count):
    # /ports/{id} in text format: one WebSocket text frame per line, delimiter removed.
    async with websockets.connect(f"{url}/ports/{port}") as ws:
        print(f"connected to {url}/ports/{port}", file=sys.stderr, flush=True)
        received = 0
        async for line in ws:
            print(line, flush=True)
            received += 1
            if count is not None and received >= count:
                return


def main():
    url = arg(1, "SERIAL_BRIDGE_URL", "ws://127.0.0.1:8765")
    port = arg(2, "SERIAL_BRIDGE_PORT", "demo")
    count = int(sys.argv[3]) if len(sys.argv) > 3 else None
    try:
        asyncio.run(read_lines(url, port, count))
    except KeyboardInterrupt:
        pass
    except websockets.exceptions.InvalidHandshake as error:
        # 404: no such port id; 403: Host or Origin refused; 401: token; 503: too many clients.
        sys.exit(f"refused: {error}")
    except websockets.exceptions.ConnectionClosed as error:
        sys.exit(f"connection closed: {error}")
    except OSError as error:
        sys.exit(f"cannot connect to {url}: {error} (is Serial Bridge running?)")


if __name__ == "__main__":
    main()
