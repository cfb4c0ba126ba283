#!/usr/bin/env python3
"""Print every line an instrument sends, read from a Serial Bridge port stream.

Usage: python3 read-lines.py [URL] [PORT_ID] [COUNT]
  URL      default: $SERIAL_BRIDGE_URL, else ws://127.0.0.1:8765
  PORT_ID  default: $SERIAL_BRIDGE_PORT, else demo
  COUNT    stop after this many lines (default: run until Ctrl+C)

Connects again by itself when Serial Bridge restarts or the network drops, and says so on
stderr; stops with the reason when trying again cannot help (wrong port id, token or origin,
or disconnected by the operator).

Needs the `websockets` package: `pip install websockets` (or Debian's python3-websockets).
"""
import asyncio
import os
import sys

import websockets

# Seconds to wait before connecting again: quickly at first, then every 5 s.
RETRY_SECONDS = [0.5, 1, 2, 5]
# Close codes after which connecting again would be wrong: 1008 is the operator's Disconnect.
FINAL_CLOSE_CODES = {1008}


class Stopped(Exception):
    """Serial Bridge said no in a way that trying again cannot change."""


def arg(index, env, default):
    return sys.argv[index] if len(sys.argv) > index else os.environ.get(env, default)


def http_status(error):
    # websockets 10 (Debian 12) has .status_code; websockets 14 and later .response.status_code.
    status = getattr(error, "status_code", None)
    response = getattr(error, "response", None)
    return status if status is not None else getattr(response, "status_code", None)


async def read_lines(url, port, count):
    address = f"{url}/ports/{port}"
    received = 0
    failures = 0
    while True:
        try:
            # /ports/{id} in text format: one WebSocket text frame per line, delimiter removed.
            async with websockets.connect(address) as ws:
                print(f"connected to {address}", file=sys.stderr, flush=True)
                failures = 0
                # Ends quietly when Serial Bridge closes the connection (1001 on a restart).
                async for line in ws:
                    print(line, flush=True)
                    received += 1
                    if count is not None and received >= count:
                        return
            reason = f"{ws.close_code} {ws.close_reason}".strip()
            if ws.close_code in FINAL_CLOSE_CODES:
                raise Stopped(f"disconnected by Serial Bridge ({reason})")
            why = f"Serial Bridge closed the connection ({reason})"
        except websockets.exceptions.InvalidHandshake as error:
            # 404: no such port id; 403: Host or Origin refused; 401: token. 503: too many clients.
            if http_status(error) != 503:
                raise Stopped(f"refused: {error}") from None
            why = "refused for now: too many clients (HTTP 503)"
        except websockets.exceptions.ConnectionClosedError as error:
            why = f"connection lost ({error})"
        except OSError as error:
            why = f"cannot connect to {url} ({error}); is Serial Bridge running?"
        delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
        failures += 1
        print(f"{why}: connecting again in {delay} s", file=sys.stderr, flush=True)
        await asyncio.sleep(delay)


def main():
    url = arg(1, "SERIAL_BRIDGE_URL", "ws://127.0.0.1:8765")
    port = arg(2, "SERIAL_BRIDGE_PORT", "demo")
    count = int(sys.argv[3]) if len(sys.argv) > 3 else None
    try:
        asyncio.run(read_lines(url, port, count))
    except KeyboardInterrupt:
        pass
    except Stopped as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
