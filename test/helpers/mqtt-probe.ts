import { connectAsync, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt'
import { BROKER_PASSWORD, BROKER_USER } from './mosquitto'
import { waitFor } from './wait'

export interface Seen {
  topic: string
  payload: Buffer
  retain: boolean
  packet: IPublishPacket
}

/** A second MQTT client, as a lab's collector would be: subscribes and records what arrives. */
export class MqttProbe {
  readonly seen: Seen[] = []

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) =>
      this.seen.push({ topic, payload, retain: packet.retain, packet }),
    )
  }

  static async connect(url: string, options: IClientOptions = {}): Promise<MqttProbe> {
    const client = await connectAsync(url, {
      username: BROKER_USER,
      password: BROKER_PASSWORD,
      protocolVersion: 5,
      reconnectPeriod: 0,
      ...options,
    })
    return new MqttProbe(client)
  }

  async subscribe(topic: string | string[]): Promise<void> {
    await this.client.subscribeAsync(topic, { qos: 1 })
  }

  on(topic: string): Seen[] {
    return this.seen.filter((s) => s.topic === topic)
  }

  texts(topic: string): string[] {
    return this.on(topic).map((s) => s.payload.toString())
  }

  waitFor(
    topic: string,
    predicate: (s: Seen) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Seen> {
    return waitFor(() => this.seen.find((s) => s.topic === topic && predicate(s)), {
      what: `a message on ${topic}; seen ${JSON.stringify(this.seen.slice(-3).map((s) => [s.topic, s.payload.toString()]))}`,
      timeoutMs,
    })
  }

  async close(): Promise<void> {
    await this.client.endAsync(true)
  }
}
