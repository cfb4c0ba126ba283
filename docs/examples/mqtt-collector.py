#!/usr/bin/env python3
"""Print every line, reading and state one Serial Bridge publishes to the lab's broker.

Usage: python3 mqtt-collector.py HOST PORT PREFIX [USER PASSWORD]
  HOST PORT  the broker, e.g. broker.lab 1883
  PREFIX     the bridge's topic prefix, e.g. serial-bridge/lab-pc-07 (Settings shows it)
  USER PASSWORD  your broker account, if the broker asks for one

Needs paho-mqtt 1.6 (Debian's python3-paho-mqtt) or 2.x: `pip install paho-mqtt`.
"""
import json
import sys

import paho.mqtt.client as mqtt

host, port, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]

try:  # paho-mqtt 2 asks which callback style; this script uses the first one
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION1)
except AttributeError:  # paho-mqtt 1.x
    client = mqtt.Client()
if len(sys.argv) > 5:
    client.username_pw_set(sys.argv[4], sys.argv[5])


def on_connect(client, userdata, flags, rc):
    if rc != 0:
        sys.exit(f"the broker refused the connection: {mqtt.connack_string(rc)}")
    client.subscribe(
        [
            (f"{prefix}/status", 1),  # retained: online, or offline (the last will)
            (f"{prefix}/ports/+/status", 1),  # retained: each port's state and metrics
            (f"{prefix}/ports/+/rx", 0),  # each line (frame) as its bytes
            (f"{prefix}/ports/+/values", 0),  # the numbers parsed from a line, as JSON
        ]
    )


def on_message(client, userdata, msg):
    where = msg.topic[len(prefix) + 1 :]  # "status", "ports/meter/rx", ...
    if not msg.payload:
        return  # a retained state cleared (a port removed)
    if where.endswith("/rx"):
        print(f"{where} {msg.payload.decode(errors='replace')}", flush=True)
    elif where.endswith("/values"):
        reading = json.loads(msg.payload)  # {"ts": ISO time, "values": {...}, "units": {...}}
        print(f"{where} {reading['ts']} {reading['values']} {reading['units']}", flush=True)
    else:
        print(f"{where} {json.loads(msg.payload)['state']}", flush=True)


client.on_connect = on_connect
client.on_message = on_message
client.connect(host, port)
client.loop_forever()
