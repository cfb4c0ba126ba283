#!/usr/bin/env python3
"""Use a port through Serial Bridge's REST API, with nothing but Python's standard library.

Usage: python3 rest.py [URL] [PORT_ID] [COMMAND]
  URL      default: $SERIAL_BRIDGE_HTTP, else http://127.0.0.1:8765
  PORT_ID  default: $SERIAL_BRIDGE_PORT, else demo
  COMMAND  default: *IDN?
A token, if the bridge needs one, is read from $SERIAL_BRIDGE_TOKEN.
"""
import json
import os
import sys
import urllib.error
import urllib.request


def arg(index, env, default):
    return sys.argv[index] if len(sys.argv) > index else os.environ.get(env, default)


class BridgeError(Exception):
    """An answer other than 200: the bridge's code (TIMEOUT, PORT_NOT_OPEN, ...) and why."""

    def __init__(self, status, code, message):
        super().__init__(f"{code}: {message}")
        self.status, self.code = status, code


def call(base, path, body=None):
    """GET `path`, or POST `body` (a dict is sent as JSON, a str as text); returns the JSON."""
    headers = {"Accept": "application/json"}
    token = os.environ.get("SERIAL_BRIDGE_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if isinstance(body, dict):
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    elif body is not None:
        data, headers["Content-Type"] = body.encode(), "text/plain"
    request = urllib.request.Request(f"{base}/api/v1{path}", data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        answer = json.load(error)["error"]
        raise BridgeError(error.code, answer["code"], answer["message"]) from None


def main():
    base = arg(1, "SERIAL_BRIDGE_HTTP", "http://127.0.0.1:8765")
    port = arg(2, "SERIAL_BRIDGE_PORT", "demo")
    command = arg(3, "SERIAL_BRIDGE_COMMAND", "*IDN?")
    try:
        for info in call(base, "/ports")["ports"]:
            print(f"{info['id']}: {info['state']}", file=sys.stderr)
        last = call(base, f"/ports/{port}")["lastFrame"]
        print("last frame:", last["data"] if last else None)
        reply = call(base, f"/ports/{port}/query", {"data": command, "timeoutMs": 2000})
        print(f"{command} -> {reply['data']} ({reply['ms']} ms)")
        written = call(base, f"/ports/{port}/write", "SYST:REM")
        print("wrote", written["bytes"], "bytes")
    except BridgeError as error:
        # e.g. "TIMEOUT: no reply within 2000 ms" (HTTP 504), "UNKNOWN_PORT: ..." (404)
        sys.exit(f"HTTP {error.status} {error}")
    except urllib.error.URLError as error:
        sys.exit(f"cannot reach {base}: {error.reason} (is Serial Bridge running?)")


if __name__ == "__main__":
    main()
