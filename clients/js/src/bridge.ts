import { bytesToBase64 } from './codec.js'
import { BridgeError, ConnectionLost, NotSupported } from './errors.js'
import { Feeds } from './feeds.js'
import { Reply, type PortStatus } from './items.js'
import {
  controlUrl,
  sessionOptions,
  type BridgeStats,
  type ConnectOptions,
  type QueryOptions,
} from './options.js'
import { pinnedDial, type PinnedDial } from './pinning.js'
import { PollRegistry, patternSource, startPollMessage, type PollOptions } from './polls.js'
import type { PortStream } from './port-stream.js'
import { Session, type ConnectionEvent } from './session.js'
import { platformWebSocket, type WebSocketConstructor } from './socket.js'
import type { HelloMessage, PortInfo, PortState, ServerMessage } from './wire.js'

/** A connection to one Serial Bridge; made with `connect()`. */
export class Bridge {
  readonly #session: Session
  readonly #feeds: Feeds
  readonly #polls = new PollRegistry()
  readonly #statusListeners = new Set<(status: PortStatus) => void>()
  readonly #connectionListeners = new Set<(event: ConnectionEvent) => void>()
  readonly #stats: BridgeStats = { messages: 0, bytes: 0, reconnects: 0, gaps: 0, errors: 0 }
  readonly #ports = new Map<string, PortInfo>()
  readonly #states = new Map<string, PortState>()
  #hello!: HelloMessage

  /** Connects; rejects with `ConnectFailed` when the first connection cannot be made. */
  static async connect(url: string, options: ConnectOptions = {}): Promise<Bridge> {
    const target = controlUrl(url, options)
    const dial =
      options.fingerprint === undefined ? undefined : await pinnedDial(target, options.fingerprint)
    const Ctor = options.WebSocket ?? (await platformWebSocket())
    const bridge = new Bridge(target, Ctor, options, dial)
    await bridge.#session.start()
    return bridge
  }

  private constructor(
    /** The control endpoint this Bridge connects to (token included). */
    readonly url: string,
    Ctor: WebSocketConstructor,
    options: ConnectOptions,
    dial: PinnedDial | undefined,
  ) {
    this.#session = new Session(
      Ctor,
      url,
      { ...sessionOptions(options), dial },
      {
        message: (message, bytes) => this.#received(message, bytes),
        connected: (hello, reconnected) => this.#connected(hello, reconnected),
        disconnected: (ended) => {
          if (ended) this.#feeds.end(ended.error)
        },
        attemptFailed: () => (this.#stats.errors += 1),
        event: (event) => emit(this.#connectionListeners, event),
      },
    )
    const session = this.#session
    this.#feeds = new Feeds(
      {
        request: (message) => session.request(message),
        post: (message) => session.post(message),
        get connected() {
          return session.connected
        },
        get epoch() {
          return session.hello?.epoch
        },
        encoding: (port) => this.#encoding(port),
        countGap: () => (this.#stats.gaps += 1),
      },
      options.bufferFrames ?? 10_000,
    )
  }

  /** The server's latest `hello`: its name, `features` and `epoch`. */
  get hello(): HelloMessage {
    return this.#hello
  }

  get connected(): boolean {
    return this.#session.connected
  }

  /** Counters since `connect()` (a copy). */
  get stats(): BridgeStats {
    return { ...this.#stats }
  }

  /** Every configured port, with its state, settings and metrics. */
  async ports(): Promise<PortInfo[]> {
    return (await this.#ask({ type: 'list' }, 'ports')).ports
  }

  /**
   * The frames `port` reads from now on, as an async iterable of `Frame` and `Gap` items.
   * Survives reconnects; a failed subscription (e.g. `UnknownPort`) rejects the iteration.
   */
  stream(port: string): PortStream {
    return this.#feeds.open(port)
  }

  /** Writes a line (the port's terminator is added); resolves with the bytes written. */
  async write(port: string, text: string): Promise<number> {
    return (await this.#ask({ type: 'write', port, data: text }, 'ack')).bytes
  }

  /** Writes exact bytes, nothing added; resolves with the bytes written. */
  async writeBytes(port: string, bytes: Uint8Array): Promise<number> {
    const message = { type: 'write', port, data: bytesToBase64(bytes), encoding: 'base64' }
    return (await this.#ask(message, 'ack')).bytes
  }

  /** Writes `command` and resolves with the port's answer (`Timeout` when none comes). */
  async query(
    port: string,
    command: string | Uint8Array,
    options: QueryOptions = {},
  ): Promise<Reply> {
    const message: Record<string, unknown> =
      typeof command === 'string'
        ? { type: 'query', port, data: command }
        : { type: 'query', port, data: bytesToBase64(command), encoding: 'base64' }
    if (options.timeoutMs !== undefined) message.timeoutMs = options.timeoutMs
    if (options.expect !== undefined) {
      this.#require('polls', 'query with expect')
      message.expect = patternSource(options.expect)
    }
    if (options.expectLines !== undefined) {
      this.#require('polls', 'query with expectLines')
      message.expectLines = options.expectLines
    }
    return new Reply(await this.#ask(message, 'reply'), this.#encoding(port))
  }

  /**
   * Has the bridge send `command` every `intervalMs`; replies arrive in `stream(port)` as
   * frames with `.poll === name`. Started again after each reconnect until `stopPoll`.
   */
  async startPoll(
    port: string,
    name: string,
    command: string,
    options: PollOptions,
  ): Promise<void> {
    this.#require('polls', 'startPoll')
    const message = startPollMessage(port, name, command, options)
    await this.#ask(message, 'pollStarted')
    this.#polls.add(message)
  }

  async stopPoll(port: string, name: string): Promise<void> {
    this.#require('polls', 'stopPoll')
    this.#polls.remove(port, name)
    await this.#ask({ type: 'stopPoll', port, name }, 'pollStopped')
  }

  /** Calls `callback` when a streamed port changes state (unplugged, reopened...). */
  onStatus(callback: (status: PortStatus) => void): () => void {
    this.#statusListeners.add(callback)
    return () => this.#statusListeners.delete(callback)
  }

  /** Calls `callback` when the connection opens, drops (and is being retried) or closes. */
  onConnection(callback: (event: ConnectionEvent) => void): () => void {
    this.#connectionListeners.add(callback)
    return () => this.#connectionListeners.delete(callback)
  }

  /** Closes the connection and stops everything: streams end, waiting requests fail. */
  close(): Promise<void> {
    return this.#session.close()
  }

  async #ask<T extends ServerMessage['type']>(
    message: object,
    type: T,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const answer = await this.#session.request(message)
    if (answer.type !== type)
      throw new BridgeError('BAD_MESSAGE', `expected "${type}", got "${answer.type}"`)
    return answer as Extract<ServerMessage, { type: T }>
  }

  #require(feature: string, what: string): void {
    const features = this.#hello.features ?? []
    if (features.includes(feature)) return
    throw new NotSupported(
      `${what} needs the server feature "${feature}"; ${this.#hello.server} announces ` +
        (features.length > 0 ? features.join(', ') : 'none'),
    )
  }

  #encoding(port: string): string {
    return this.#ports.get(port)?.settings.encoding ?? 'utf8'
  }

  #received(message: ServerMessage, bytes: number): void {
    this.#stats.messages += 1
    this.#stats.bytes += bytes
    switch (message.type) {
      case 'data':
        return this.#feeds.data(message)
      case 'gap':
        return this.#feeds.gap(message)
      case 'status':
        this.#states.set(message.port, message.state)
        return emit(this.#statusListeners, statusOf(message.port, message))
      case 'ports':
        this.#setPorts(message.ports)
        return this.#feeds.portsChanged(message.ports)
      case 'error':
        this.#stats.errors += 1
        return
    }
  }

  #connected(hello: HelloMessage, reconnected: boolean): void {
    const previousEpoch = reconnected ? this.#hello.epoch : undefined
    this.#hello = hello
    if (reconnected) this.#stats.reconnects += 1
    const streamed = new Set(this.#feeds.ports())
    for (const info of hello.ports) {
      // What changed while disconnected is told as if it had been seen.
      const changed = this.#states.has(info.id) && this.#states.get(info.id) !== info.state
      if (changed && streamed.has(info.id)) emit(this.#statusListeners, statusOf(info.id, info))
    }
    this.#setPorts(hello.ports)
    this.#feeds.connected(hello, previousEpoch)
    for (const poll of this.#polls.all()) {
      this.#session.request(poll).catch((error: unknown) => {
        if (error instanceof ConnectionLost) return
        this.#polls.remove(poll.port, poll.name)
      })
    }
  }

  #setPorts(ports: PortInfo[]): void {
    this.#ports.clear()
    for (const info of ports) {
      this.#ports.set(info.id, info)
      this.#states.set(info.id, info.state)
    }
  }
}

/** Connects to a Serial Bridge, e.g. `await connect('ws://127.0.0.1:8765')`. */
export function connect(url: string, options: ConnectOptions = {}): Promise<Bridge> {
  return Bridge.connect(url, options)
}

function statusOf(
  port: string,
  { state, error }: { state: PortState; error?: string },
): PortStatus {
  return error === undefined ? { port, state } : { port, state, error }
}

/** Calls each listener; one that throws is reported as uncaught, and the others still run. */
function emit<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(value)
    } catch (error) {
      queueMicrotask(() => {
        throw error
      })
    }
  }
}
