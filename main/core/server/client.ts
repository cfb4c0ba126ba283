import type { WebSocket } from 'ws'
import type { ClientInfo, ReadOnlySource } from '../../../common/engine-api'
import {
  CloseCode,
  CONTROL_PATH,
  PORT_STREAM_PREFIX,
  type ServerMessage,
} from '../../../common/protocol'
import type { ClientHandle } from '../capability'
import { clientHandle } from './client-handle'

export type StreamFormat = 'text' | 'binary' | 'json'

export interface ClientOrigin {
  id: string
  /** The port of a `/ports/{id}` stream; null on the control endpoint. */
  streamPort: string | null
  remoteAddress: string
  origin: string | null
  userAgent: string | null
  /** How port data is sent: control clients always get JSON. */
  format: StreamFormat
  /** From `?client=`. */
  name: string | null
  /** The presented token's SHA-256 (see access/token-grant), checked again when tokens change. */
  tokenDigest: Buffer | null
}

/** How long a client may lag before it is closed with 1013. */
export const MAX_LAG_MS = 10_000

const corked = new Set<Client>()
let flushScheduled = false

/** Frames queued in one turn of the event loop leave in one socket write. */
function flushCorked(): void {
  flushScheduled = false
  for (const client of corked) client.uncork()
  corked.clear()
}

/**
 * One connected WebSocket client: what it is, what it receives, and how far behind it is.
 * Data frames are dropped (never queued without bound) once its unsent bytes pass the limit.
 */
export class Client {
  readonly connectedAt = Date.now()
  /** Subscribed with "*": also receives ports added later. */
  allPorts = false
  /** Each reason for read-only is kept on its own: a rule removed leaves the operator's tick. */
  operatorReadOnly = false
  tokenReadOnly = false
  ruleReadOnly = false
  /** The `server.tokens` entry it presented. */
  tokenName: string | null = null
  framesIn = 0
  framesOut = 0
  bytesIn = 0
  bytesOut = 0
  dropped = 0
  alive = true
  /** Queries sent on the control endpoint and not yet answered. */
  queriesWaiting = 0
  /** A control client's subscriptions, made on its first `subscribe`: idle clients add up. */
  private subscribed: Set<string> | null = null
  /**
   * Ports it takes as `samples` batches instead of `data`, with their interval (null: `data`,
   * said explicitly while "*" is sampled). Made on the first `subscribe` with `samples`.
   */
  private sampled: Map<string, number | null> | null = null
  /** `subscribe` "*" with `samples`: every port not named in `sampled`. */
  private allPortsSamplesMs: number | null = null
  private handleValue: ClientHandle | null = null
  private lagSince: number | null = null
  /** Made on the first drop: most clients never lag, and a thousand idle ones add up. */
  private lagByPort: Map<string, number> | null = null
  private isCorked = false
  /** Ports being replayed to it (feature `resume`): their live frames wait in the ring. */
  private held: Set<string> | null = null
  private pingPayload: Buffer | null = null

  constructor(
    readonly ws: WebSocket,
    readonly meta: ClientOrigin,
    private readonly bufferLimit: () => number,
  ) {}

  get id(): string {
    return this.meta.id
  }

  /** Its writes and queries are refused (FORBIDDEN). */
  get readOnly(): boolean {
    return this.tokenReadOnly || this.ruleReadOnly || this.operatorReadOnly
  }

  get readOnlyBy(): ReadOnlySource[] {
    const by: ReadOnlySource[] = []
    if (this.tokenReadOnly) by.push('token')
    if (this.ruleReadOnly) by.push('rule')
    if (this.operatorReadOnly) by.push('operator')
    return by
  }

  receives(port: string): boolean {
    return this.allPorts || this.meta.streamPort === port || this.subscribed?.has(port) === true
  }

  /** Gets the port's live frames now: subscribed, and not catching up on it from the ring. */
  takesLive(port: string): boolean {
    return this.receives(port) && this.held?.has(port) !== true
  }

  /** A resume replays the port: its live frames are not sent until `goLive(port)`. */
  hold(port: string): void {
    ;(this.held ??= new Set()).add(port)
  }

  goLive(port: string): void {
    this.held?.delete(port)
    if (this.held?.size === 0) this.held = null
  }

  /** Bytes queued to it and not yet sent; frames are dropped past `bufferLimitBytes`. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount
  }

  get bufferLimitBytes(): number {
    return this.bufferLimit()
  }

  subscribe(port: string): void {
    ;(this.subscribed ??= new Set()).add(port)
  }

  /** Without a port: every subscription, "*" included. */
  unsubscribe(port?: string): void {
    if (port !== undefined) {
      this.sampled?.delete(port)
      return void this.subscribed?.delete(port)
    }
    this.allPorts = false
    this.subscribed = null
    this.sampled = null
    this.allPortsSamplesMs = null
  }

  /** How a subscribed port reaches it from now on: `samples` every `intervalMs`, or (null) `data`. */
  setSamples(ports: '*' | string[], intervalMs: number | null): void {
    if (ports === '*') {
      this.sampled = null
      this.allPortsSamplesMs = intervalMs
      return
    }
    if (intervalMs === null && this.sampled === null && this.allPortsSamplesMs === null) return
    this.sampled ??= new Map()
    for (const p of ports) this.sampled.set(p, intervalMs)
  }

  /** The interval of a port it takes as `samples`; undefined when it gets `data`. */
  samplesMs(port: string): number | undefined {
    if (this.sampled === null && this.allPortsSamplesMs === null) return undefined
    const own = this.sampled?.get(port)
    if (own !== undefined) return own ?? undefined
    return this.allPortsSamplesMs ?? undefined
  }

  /** What a capability may use of this client (see capability.ts). */
  get handle(): ClientHandle {
    return (this.handleValue ??= clientHandle(this))
  }

  /** The ports named explicitly (a stream's own port, or a control client's subscriptions). */
  get subscriptions(): string[] {
    if (this.meta.streamPort !== null) return [this.meta.streamPort]
    return this.subscribed ? [...this.subscribed] : []
  }

  /** Sends a data frame unless the client is too far behind; returns false when dropped. */
  sendData(port: string, payload: Buffer, binary: boolean): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false
    if (this.ws.bufferedAmount > this.bufferLimit()) {
      this.dropped += 1
      this.lagSince ??= Date.now()
      this.lagByPort ??= new Map()
      this.lagByPort.set(port, (this.lagByPort.get(port) ?? 0) + 1)
      return false
    }
    this.cork()
    this.ws.send(payload, { binary })
    this.framesOut += 1
    this.bytesOut += payload.length
    return true
  }

  /**
   * Protocol replies and notices are never dropped: a client that does not read its replies
   * cannot be helped by losing some. They may take the backlog past `clientBufferBytes`
   * (which starts the lag clock), but a client that lets them pile up to twice that is closed.
   */
  sendMessage(message: ServerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return
    const buffered = this.ws.bufferedAmount
    const limit = this.bufferLimit()
    if (buffered > 2 * limit) {
      return this.closeAndForget(CloseCode.tryAgainLater, 'client too slow: replies not read')
    }
    if (buffered > limit) this.lagSince ??= Date.now()
    const text = JSON.stringify(message)
    this.cork()
    this.ws.send(text)
    this.framesOut += 1
    this.bytesOut += Buffer.byteLength(text)
  }

  /** A heartbeat ping went out with this payload; only a pong that carries it counts. */
  pinged(payload: Buffer): void {
    this.alive = false
    this.pingPayload = payload
  }

  ponged(payload: Buffer): void {
    if (this.pingPayload?.equals(payload)) {
      this.alive = true
      this.pingPayload = null
    }
  }

  /**
   * Called periodically: tells a client that has drained how much it missed, and closes one
   * that has lagged for too long.
   */
  checkLag(now: number): void {
    if (this.lagSince === null) return
    if (this.ws.bufferedAmount <= this.bufferLimit() / 2) {
      // Every consumer is told, text streams included: a JSON text frame is easy to tell apart.
      for (const [port, dropped] of this.lagByPort ?? [])
        this.sendMessage({ type: 'lagged', port, dropped })
      this.lagByPort = null
      this.lagSince = null
    } else if (now - this.lagSince >= MAX_LAG_MS) {
      this.lagSince = null
      this.closeAndForget(CloseCode.tryAgainLater, 'client too slow: lagged for 10 s')
    }
  }

  get lagging(): boolean {
    return this.lagSince !== null
  }

  /** Closes politely, then cuts the socket if the peer does not answer (it may not be reading). */
  closeAndForget(code: number, reason: string): void {
    this.ws.close(code, reason)
    const timer = setTimeout(() => this.ws.terminate(), 2000)
    timer.unref()
    this.ws.once('close', () => clearTimeout(timer))
  }

  info(): ClientInfo {
    return {
      id: this.id,
      name: this.meta.name,
      tokenName: this.tokenName,
      remoteAddress: this.meta.remoteAddress,
      origin: this.meta.origin,
      userAgent: this.meta.userAgent,
      endpoint:
        this.meta.streamPort === null ? CONTROL_PATH : PORT_STREAM_PREFIX + this.meta.streamPort,
      subscriptions: this.allPorts ? ['*'] : this.subscriptions,
      connectedSince: new Date(this.connectedAt).toISOString(),
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      dropped: this.dropped,
      readOnly: this.readOnly,
      readOnlyBy: this.readOnlyBy,
    }
  }

  uncork(): void {
    if (!this.isCorked) return
    this.isCorked = false
    ;(this.ws as unknown as { _socket?: { uncork(): void } })._socket?.uncork()
  }

  private cork(): void {
    if (this.isCorked) return
    const socket = (this.ws as unknown as { _socket?: { cork(): void } })._socket
    if (!socket) return
    socket.cork()
    this.isCorked = true
    corked.add(this)
    if (!flushScheduled) {
      flushScheduled = true
      setImmediate(flushCorked)
    }
  }
}
