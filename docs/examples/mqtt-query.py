#!/usr/bin/env python3
"""Ask an instrument a question through the lab's broker (MQTT 5 request/response).

Usage: python3 mqtt-query.py HOST PORT PREFIX PORT_ID COMMAND [USER PASSWORD]
  e.g.  python3 mqtt-query.py broker.lab 1883 serial-bridge/lab-pc-07 meter "*IDN?" lab secret

The bridge must accept commands (mqtt.commands, over an authenticated connection). The
answer comes back on this client's own response topic, with the correlation data it sent:
{"type":"reply","port":...,"data":...} or {"type":"error","code":"TIMEOUT",...}.

Needs paho-mqtt 1.6 (Debian's python3-paho-mqtt) or 2.x.
"""
import json
import sys
import uuid

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

host, port, prefix, port_id, command = sys.argv[1:6]
client_id = f"query-{uuid.uuid4().hex[:8]}"
reply_topic = f"replies/{client_id}"
try:  # paho-mqtt 2
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION1, client_id=client_id, protocol=mqtt.MQTTv5
    )
except AttributeError:  # paho-mqtt 1.x
    client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
if len(sys.argv) > 7:
    client.username_pw_set(sys.argv[6], sys.argv[7])


def on_connect(client, userdata, flags, reason, properties):
    client.subscribe(reply_topic, qos=1)


def on_subscribe(client, userdata, mid, reasons, properties):
    ask = Properties(PacketTypes.PUBLISH)
    ask.ResponseTopic = reply_topic
    ask.CorrelationData = b"q1"
    ask.UserProperty = ("timeoutMs", "2000")  # how long the instrument may take
    client.publish(f"{prefix}/ports/{port_id}/query", command, qos=1, properties=ask)


def on_message(client, userdata, msg):
    answer = json.loads(msg.payload)
    if answer["type"] == "reply":
        print(answer["data"], flush=True)
    else:
        print(f"{answer['code']}: {answer['message']}", file=sys.stderr, flush=True)
        userdata["failed"] = True
    client.disconnect()


state = {"failed": False}
client.user_data_set(state)
client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
client.connect(host, int(port))
client.loop_forever()
sys.exit(1 if state["failed"] else 0)
