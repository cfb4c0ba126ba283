import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt'
import { describeMqttError } from './error-words'

/** Delays between attempts: quick after a drop, backing off to 30 s for a broker that stays away. */
export const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 16_000, 30_000]
/** A connection that lasted this long starts the backoff over; shorter ones (flapping) do not. */
const STABLE_MS = 10_000
/** MQTT 5 DISCONNECT reason: another connection with the same client id took the session. */
const SESSION_TAKEN_OVER = 142

export interface BrokerConnectionEvents {
  /** An attempt started. */
  connecting(): void
  /** CONNACK accepted: the client is ready to publish and subscribe. */
  connected(client: MqttClient): void
  /** The attempt failed or the connection dropped; `error` says why, in words. */
  lost(error: string): void
  message(topic: string, payload: Buffer, packet: IPublishPacket): void
}

export interface BrokerConnectionDeps {
  connect?: typeof connect
  /** Spreads the lab's bridges apart after a broker restart; 0.8–1.2 by default. */
  jitter?: () => number
}

/** One broker: connects, and after any failure tries again with backoff until stopped. */
export class BrokerConnection {
  private client: MqttClient | null = null
  private connectedClient: MqttClient | null = null
  private timer: NodeJS.Timeout | null = null
  private attempts = 0
  private stopped = true

  constructor(
    private readonly url: string,
    private readonly options: IClientOptions,
    private readonly events: BrokerConnectionEvents,
    private readonly deps: BrokerConnectionDeps = {},
  ) {}

  /** The connected client, or null between connections. */
  get current(): MqttClient | null {
    return this.connectedClient
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.attempt()
  }

  /** Ends the connection: `goodbye` runs first on a connected client (the retained offline status). */
  async stop(goodbye?: (client: MqttClient) => Promise<void>): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const client = this.client
    const connected = this.connectedClient
    this.client = null
    this.connectedClient = null
    if (!client) return
    if (connected && goodbye)
      await withTimeout(
        goodbye(connected).catch(() => undefined),
        2000,
      )
    await withTimeout(new Promise<void>((resolve) => client.end(false, {}, () => resolve())), 2000)
    // A DISCONNECT that never went out (a dead connection, unacknowledged messages): cut it.
    client.stream?.destroy()
  }

  private attempt(): void {
    this.timer = null
    if (this.stopped) return
    this.events.connecting()
    const client = (this.deps.connect ?? connect)(this.url, this.options)
    this.client = client
    let lastError: string | null = null
    let connectedAt = 0
    client.on('connect', () => {
      connectedAt = Date.now()
      this.connectedClient = client
      this.events.connected(client)
    })
    client.on('error', (error) => {
      lastError = describeMqttError(error)
    })
    client.on('disconnect', (packet) => {
      lastError =
        packet.reasonCode === SESSION_TAKEN_OVER
          ? `another client connected with the same client id (${this.options.clientId}): ` +
            'each bridge needs its own mqtt.clientId'
          : `the broker disconnected (reason code ${packet.reasonCode ?? 0})`
    })
    client.on('message', (topic, payload, packet) => {
      if (this.connectedClient === client) this.events.message(topic, payload, packet)
    })
    client.on('close', () => {
      if (this.client !== client) return
      const wasConnected = this.connectedClient === client
      if (wasConnected && Date.now() - connectedAt >= STABLE_MS) this.attempts = 0
      this.client = null
      this.connectedClient = null
      client.end(true)
      this.events.lost(lastError ?? (wasConnected ? 'connection to the broker lost' : 'closed'))
      this.scheduleRetry()
    })
  }

  private scheduleRetry(): void {
    if (this.stopped) return
    const base = RETRY_DELAYS_MS[Math.min(this.attempts, RETRY_DELAYS_MS.length - 1)]!
    this.attempts += 1
    const jitter = this.deps.jitter?.() ?? 0.8 + Math.random() * 0.4
    this.timer = setTimeout(() => this.attempt(), Math.round(base * jitter))
    this.timer.unref()
  }
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    void promise.then(() => {
      clearTimeout(timer)
      resolve()
    })
  })
}
