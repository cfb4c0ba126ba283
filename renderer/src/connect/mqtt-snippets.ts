import type { PortTopics } from '../../../common/mqtt-topic'
import type { Snippet } from './snippets'

/** Copy-ready code for the lab's side of the broker: a collector that reads one port's topics. */
export interface MqttSnippet extends Omit<Snippet, 'id'> {
  id: 'mqtt-python' | 'mqtt-node-red'
}

const py = (s: string) => JSON.stringify(s)

function brokerParts(url: string): { host: string; port: number; tls: boolean } {
  const u = new URL(url)
  const tls = u.protocol === 'mqtts:' || u.protocol === 'wss:'
  return { host: u.hostname, port: Number(u.port) || (tls ? 8883 : 1883), tls }
}

export function mqttSnippets(brokerUrl: string, portId: string, topics: PortTopics): MqttSnippet[] {
  const broker = brokerParts(brokerUrl)
  return [
    {
      id: 'mqtt-python',
      title: 'Python (paho-mqtt)',
      note: 'pip install paho-mqtt (1.6 or 2.x). Use your own broker account, not the bridge’s.',
      code: `import json

import paho.mqtt.client as mqtt

try:  # paho-mqtt 2
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION1)
except AttributeError:  # paho-mqtt 1.x
    client = mqtt.Client()


def on_connect(client, userdata, flags, rc):
    client.subscribe([(${py(topics.rx)}, 0), (${py(topics.values)}, 0)])


def on_message(client, userdata, msg):
    if msg.topic.endswith("/values"):
        reading = json.loads(msg.payload)  # {"ts": ..., "values": {...}, "units": {...}}
        print(reading["ts"], reading["values"])
    else:
        print(msg.payload.decode(errors="replace"))  # one line from ${portId}


client.on_connect = on_connect
client.on_message = on_message
client.username_pw_set("USER", "PASSWORD")  # your broker account
${broker.tls ? 'client.tls_set()  # the broker’s CA: tls_set(ca_certs="ca.pem")\n' : ''}client.connect(${py(broker.host)}, ${broker.port})
client.loop_forever()
`,
    },
    {
      id: 'mqtt-node-red',
      title: 'Node-RED (mqtt in)',
      note: 'Menu → Import, paste, then set the broker’s user and password in its config node and Deploy.',
      code: nodeRedMqttFlow(broker, portId, topics) + '\n',
    },
  ]
}

function nodeRedMqttFlow(
  broker: { host: string; port: number; tls: boolean },
  portId: string,
  topics: PortTopics,
): string {
  const brokerId = '5e7a1b0c00000013'
  const mqttIn = (
    id: string,
    name: string,
    topic: string,
    datatype: string,
    y: number,
    wire: string,
  ) => ({
    id,
    type: 'mqtt in',
    name,
    topic,
    qos: '0',
    datatype,
    broker: brokerId,
    nl: false,
    rap: true,
    rh: 0,
    inputs: 0,
    x: 160,
    y,
    wires: [[wire]],
  })
  const debug = (id: string, name: string, y: number) => ({
    id,
    type: 'debug',
    name,
    active: true,
    complete: 'payload',
    x: 420,
    y,
    wires: [],
  })
  const flow = [
    mqttIn('5e7a1b0c00000011', `${portId} lines`, topics.rx, 'utf8', 80, '5e7a1b0c00000014'),
    mqttIn('5e7a1b0c00000012', `${portId} values`, topics.values, 'json', 140, '5e7a1b0c00000015'),
    {
      id: brokerId,
      type: 'mqtt-broker',
      name: 'Lab broker',
      broker: broker.host,
      port: String(broker.port),
      usetls: broker.tls,
      protocolVersion: '5',
      keepalive: '60',
      cleansession: true,
    },
    debug('5e7a1b0c00000014', `${portId} lines`, 80),
    debug('5e7a1b0c00000015', `${portId} values`, 140),
  ]
  return JSON.stringify(flow, null, 2)
}
