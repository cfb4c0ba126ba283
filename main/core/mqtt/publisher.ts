import type { MqttClient } from 'mqtt'
import type { OutgoingMessage, OutgoingQueue } from './outgoing-queue'

/** Unsent bytes in the socket beyond which publishing waits for `drain`. */
const SOCKET_HIGH_WATER = 1024 * 1024
/** Messages per turn of the event loop, so serial reads and WebSocket sends run in between. */
const BATCH = 256
/** QoS 1 messages awaiting PUBACK at once (less if the broker's receive maximum says so). */
const MAX_IN_FLIGHT = 64

/**
 * Moves messages from the bounded queue to a connected client, a batch per turn of the event
 * loop, only as fast as the socket takes them: the queue is the one place messages wait.
 */
export class Publisher {
  published = 0
  private client: MqttClient | null = null
  private scheduled = false
  private waitingForDrain = false
  private readonly inFlight = new Map<number, OutgoingMessage>()
  private sent = 0

  constructor(
    private readonly queue: OutgoingQueue,
    private qos: 0 | 1,
  ) {}

  setQos(qos: 0 | 1): void {
    this.qos = qos
  }

  attach(client: MqttClient): void {
    this.client = client
    this.wake()
  }

  /** The connection is gone: QoS 1 messages it never acknowledged go back to the front. */
  detach(): void {
    this.client = null
    this.waitingForDrain = false
    const unacked = [...this.inFlight.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m)
    this.inFlight.clear()
    this.queue.returnToFront(unacked)
  }

  /** Publishes now when connected (retained status messages, not queued behind frames). */
  publishNow(message: OutgoingMessage): void {
    this.client?.publish(message.topic, message.payload, { qos: 1, retain: message.retain })
  }

  /** Something was queued: publish it soon, off the caller's stack. */
  wake(): void {
    if (this.scheduled || !this.client || this.waitingForDrain) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.pump()
    })
  }

  private pump(): void {
    const client = this.client
    if (!client) return
    const maxInFlight = Math.min(
      client.serverProperties?.receiveMaximum ?? MAX_IN_FLIGHT,
      MAX_IN_FLIGHT,
    )
    for (let n = 0; n < BATCH; n++) {
      if (this.qos === 1 && this.inFlight.size >= maxInFlight) return
      if (client.stream.writableLength > SOCKET_HIGH_WATER) {
        this.waitingForDrain = true
        client.stream.once('drain', () => {
          this.waitingForDrain = false
          this.wake()
        })
        return
      }
      const message = this.queue.shift()
      if (!message) return
      this.send(client, message)
    }
    this.wake()
  }

  private send(client: MqttClient, message: OutgoingMessage): void {
    const qos = this.qos
    const seq = ++this.sent
    if (qos === 1) this.inFlight.set(seq, message)
    client.publish(message.topic, message.payload, { qos, retain: message.retain }, (error) => {
      if (qos === 1) {
        // Gone already when detach() took it back for the next connection.
        if (!this.inFlight.delete(seq)) return
        this.wake()
      }
      if (error) this.queue.dropped += 1
      else this.published += 1
    })
  }
}
