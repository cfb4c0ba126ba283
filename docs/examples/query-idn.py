#!/usr/bin/env python3
"""Ask an instrument a question through the control endpoint and print its answer.

Usage: python3 query-idn.py [URL] [PORT_ID] [COMMAND] [EXPECT]
  URL      default: $SERIAL_BRIDGE_URL, else ws://127.0.0.1:8765
  PORT_ID  default: $SERIAL_BRIDGE_PORT, else demo
  COMMAND  default: *IDN?
  EXPECT   a regular expression the answer matches, so that readings the instrument streams
           meanwhile are not taken for it; default for *IDN?: four comma-separated fields

Needs the `websockets` package: `pip install websockets` (or Debian's python3-websockets).
"""
import asyncio
import base64
import json
import os
import sys

import websockets


# An *IDN? answer: maker, model, serial number, firmware; a reading like T=22.5,RH=45 is not one.
IDN_ANSWER = "^[^,=]+(,[^,]*){3}$"


def arg(index, env, default):
    return sys.argv[index] if len(sys.argv) > index else os.environ.get(env, default)


async def query(url, port, command, expect):
    async with websockets.connect(f"{url}/ws") as ws:
        hello = json.loads(await ws.recv())
        print(f"connected to {hello['server']} as {hello['clientId']}", file=sys.stderr)

        # The id comes back on the answer, so it can be told apart from anything else.
        request = {"type": "query", "port": port, "data": command, "timeoutMs": 2000, "id": 1}
        if expect:
            request["expect"] = expect
        await ws.send(json.dumps(request))
        async for raw in ws:
            message = json.loads(raw)
            if message.get("id") != 1:
                continue
            if message["type"] == "reply":
                if message["encoding"] == "base64":
                    return base64.b64decode(message["data"]).hex(" ")
                return message["data"]
            raise RuntimeError(f"{message['code']}: {message['message']}")
        raise RuntimeError("the connection closed before the answer came")


def main():
    url = arg(1, "SERIAL_BRIDGE_URL", "ws://127.0.0.1:8765")
    port = arg(2, "SERIAL_BRIDGE_PORT", "demo")
    command = sys.argv[3] if len(sys.argv) > 3 else "*IDN?"
    expect = sys.argv[4] if len(sys.argv) > 4 else (IDN_ANSWER if command == "*IDN?" else None)
    try:
        print(asyncio.run(query(url, port, command, expect)))
    except RuntimeError as error:
        # e.g. "TIMEOUT: no reply within 2000 ms" or "PORT_NOT_OPEN: port "x" is closed, not open"
        sys.exit(str(error))
    except websockets.exceptions.InvalidHandshake as error:
        sys.exit(f"refused: {error}")
    except OSError as error:
        sys.exit(f"cannot connect to {url}: {error} (is Serial Bridge running?)")


if __name__ == "__main__":
    main()
