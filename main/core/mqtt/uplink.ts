import type { IPublishPacket, MqttClient } from 'mqtt'
import type { MqttStatus } from '../../../common/engine-api'
import { defaultClientId } from '../../../common/mqtt-topic'
import type { PortInfo } from '../../../common/protocol'
import type { ClientRule, MqttSettings, PortSettings } from '../../../common/settings-schema'
import type { PortManager } from '../serial/port-manager'
import type { RxFrame } from '../serial/rx-frame'
import { BrokerConnection, type BrokerConnectionDeps } from './broker-connection'
import { clientOptions, isAuthenticated, OFFLINE, ONLINE, type ReadFile } from './client-options'
import { commandRefusal } from './command-access'
import { CommandHandler } from './command-handler'
import { OutgoingQueue } from './outgoing-queue'
import { CLEAR_RETAINED, statusPayload, valuesPayload } from './port-messages'
import { Publisher } from './publisher'
import { CommandTopics, TopicTree, type PortTopics } from './topic-tree'

/** Retained port states are refreshed this often, with their metrics (docs/mqtt.md). */
export const STATUS_EVERY_MS = 10_000

export interface UplinkDeps {
  ports: PortManager
  hostname: string
  maxPayloadBytes(): number
  /** `server.clientRules` in force: they hold the broker's commands like a WebSocket client's. */
  clientRules(): readonly ClientRule[]
  now(): number
  /** How often every port's retained status is published again; STATUS_EVERY_MS unless a test says. */
  statusEveryMs?: number
  /** Something in the status changed (state, error, commands). */
  changed(): void
  log(line: string): void
  readFile?: ReadFile
  connection?: BrokerConnectionDeps
}

type PortRoute = { topics: PortTopics; publish: boolean }

/**
 * The bridge as an MQTT client: frames, values and port states out through the bounded queue;
 * commands in, when allowed. `apply()` takes new settings and reconnects; the queue and the
 * counters live on across reconnections.
 */
export class Uplink {
  private settings: MqttSettings | null = null
  private tree: TopicTree
  private connection: BrokerConnection | null = null
  private state: MqttStatus['state'] = 'off'
  private error: string | undefined
  private commandsRefused: string | undefined
  private commandTopics: CommandTopics | null = null
  private subscribed: string[] = []
  /** The broker confirmed the command subscriptions (SUBACK): a command sent now is heard. */
  private commandsConfirmed = false
  /** Counts subscribe requests, so a late SUBACK for an older set confirms nothing. */
  private subscribeRequests = 0
  private readonly routes = new Map<string, PortRoute>()
  private readonly queue = new OutgoingQueue({ maxMessages: 10_000, maxBytes: 16 * 1024 * 1024 })
  private readonly publisher = new Publisher(this.queue, 0)
  private readonly commands: CommandHandler
  private statusTimer: NodeJS.Timeout | null = null

  constructor(private readonly deps: UplinkDeps) {
    this.tree = new TopicTree({ topicPrefix: null }, deps.hostname)
    this.commands = new CommandHandler({
      ports: deps.ports,
      maxPayloadBytes: deps.maxPayloadBytes,
      respond: (topic, payload, correlationData) =>
        this.connection?.current?.publish(topic, payload, {
          qos: this.settings?.qos ?? 0,
          ...(correlationData ? { properties: { correlationData } } : {}),
        }),
      refusal: () => commandRefusal(deps.clientRules(), deps.now()),
    })
  }

  /** Stops the current connection and, when enabled, starts one with these settings. */
  async apply(settings: MqttSettings): Promise<void> {
    await this.stopConnection()
    this.routes.clear()
    if (!settings.enabled) {
      this.settings = null
      this.queue.clear()
      return this.setState('off', undefined)
    }
    this.settings = settings
    this.tree = new TopicTree(settings, this.deps.hostname)
    this.queue.setLimits(settings.queue)
    this.publisher.setQos(settings.qos)
    this.commandsRefused =
      settings.commands && !isAuthenticated(settings) && !settings.commandsWithoutAuthentication
        ? 'the broker connection has no user name and no client certificate: anyone on the ' +
          'broker could write to the ports (set mqtt.commandsWithoutAuthentication to allow it)'
        : undefined
    const options = await clientOptions(settings, this.deps.hostname, this.deps.readFile)
    if (!options.ok) return this.setState('error', options.errors.join('; '))
    this.connection = new BrokerConnection(
      settings.url,
      options.value,
      {
        connecting: () => this.setState('connecting', this.error),
        connected: (client) => this.onConnected(client),
        lost: (error) => {
          this.publisher.detach()
          this.subscribed = []
          this.commandsConfirmed = false
          this.subscribeRequests++
          this.setState('error', error)
        },
        message: (topic, payload, packet) => this.onMessage(topic, payload, packet),
      },
      this.deps.connection,
    )
    this.connection.start()
    this.statusTimer = setInterval(() => {
      for (const info of this.deps.ports.ports()) this.portStatus(info)
    }, this.deps.statusEveryMs ?? STATUS_EVERY_MS)
    this.statusTimer.unref()
  }

  async stop(): Promise<void> {
    await this.stopConnection()
    this.settings = null
    this.setState('off', undefined)
  }

  /** A frame from a port: queued at once, published off this call stack. */
  frame(frame: RxFrame): void {
    const settings = this.settings
    if (!settings) return
    const route = this.route(frame.port)
    if (!route?.publish) return
    if (settings.publish.frames) {
      this.queue.push({ topic: route.topics.rx, payload: frame.bytes, retain: false })
    }
    if (settings.publish.values) {
      const values = valuesPayload(frame)
      if (values) this.queue.push({ topic: route.topics.values, payload: values, retain: false })
    }
    this.publisher.wake()
  }

  /** A port changed (state, settings) or it is time for fresh metrics: its retained status. */
  portStatus(info: PortInfo): void {
    if (!this.settings) return
    const before = this.routes.get(info.id)
    this.routes.delete(info.id)
    const route = this.route(info.id, info.settings)
    if (before && before.topics.status !== route?.topics.status) this.clear(before.topics.status)
    if (route && !route.publish) this.clear(route.topics.status)
    else if (route) this.retain(route.topics.status, statusPayload(info))
    if (before?.topics.write !== route?.topics.write) this.syncCommands()
  }

  portRemoved(info: PortInfo): void {
    const route = this.routes.get(info.id)
    this.routes.delete(info.id)
    if (route) this.clear(route.topics.status)
    this.syncCommands()
  }

  status(): MqttStatus {
    const s = this.settings
    return {
      state: this.state,
      ...(this.error ? { error: this.error } : {}),
      url: s?.url ?? null,
      clientId: s?.clientId ?? defaultClientId(this.deps.hostname),
      topicPrefix: this.tree.prefix,
      commands: this.subscribed.length > 0 && this.commandsConfirmed,
      ...(this.commandsRefused ? { commandsRefused: this.commandsRefused } : {}),
      published: this.publisher.published,
      dropped: this.queue.dropped,
      queued: this.queue.length,
      commandsHandled: this.commands.handled,
      commandsForbidden: this.commands.forbidden,
    }
  }

  private onConnected(client: MqttClient): void {
    this.setState('connected', undefined)
    this.publisher.attach(client)
    this.retain(this.tree.status, ONLINE)
    for (const info of this.deps.ports.ports()) this.portStatus(info)
    this.syncCommands()
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const command = this.commandTopics?.lookup(topic)
    if (!command) return
    this.deps.changed()
    this.commands.handle(command.port, command.kind, payload, packet).catch((error: Error) => {
      this.deps.log(`mqtt: command on ${topic} failed: ${error.message}`)
    })
  }

  /** Subscribes to every port's write and query topics, when commands are on and allowed. */
  private syncCommands(): void {
    const client = this.connection?.current
    const s = this.settings
    if (!client || !s) return
    const wanted =
      s.commands && !this.commandsRefused ? new CommandTopics(this.tree, this.portSettings()) : null
    const topics = wanted?.topics ?? []
    const gone = this.subscribed.filter((t) => !topics.includes(t))
    const added = topics.filter((t) => !this.subscribed.includes(t))
    this.commandTopics = wanted
    this.subscribed = topics
    if (gone.length > 0) client.unsubscribe(gone)
    if (added.length > 0) {
      this.commandsConfirmed = false
      const request = ++this.subscribeRequests
      client.subscribe(added, { qos: s.qos }, (error) => {
        if (error || request !== this.subscribeRequests) return
        this.commandsConfirmed = true
        this.deps.changed()
      })
    } else if (topics.length === 0) {
      this.subscribeRequests++
      this.commandsConfirmed = false
    }
    this.deps.changed()
  }

  private portSettings(): PortSettings[] {
    return this.deps.ports.ports().map((p) => p.settings)
  }

  private route(id: string, settings?: PortSettings): PortRoute | undefined {
    let route = this.routes.get(id)
    if (route) return route
    const s = settings ?? this.deps.ports.get(id)?.settings
    if (!s) return undefined
    route = { topics: this.tree.port(s), publish: s.mqtt?.publish ?? true }
    this.routes.set(id, route)
    return route
  }

  private retain(topic: string, payload: Buffer): void {
    this.publisher.publishNow({ topic, payload, retain: true })
  }

  private clear(topic: string): void {
    this.retain(topic, CLEAR_RETAINED)
  }

  private async stopConnection(): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer)
    this.statusTimer = null
    const connection = this.connection
    this.connection = null
    this.publisher.detach()
    this.subscribed = []
    this.commandTopics = null
    await connection?.stop(
      (client) =>
        new Promise<void>((resolve) =>
          client.publish(this.tree.status, OFFLINE, { qos: 1, retain: true }, () => resolve()),
        ),
    )
  }

  private setState(state: MqttStatus['state'], error: string | undefined): void {
    if (this.state === state && this.error === error) return
    this.state = state
    this.error = error
    this.deps.changed()
  }
}
