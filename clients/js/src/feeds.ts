import { ConnectionLost, UnknownPort, type BridgeError } from './errors.js'
import { ItemQueue } from './item-queue.js'
import { Frame, Gap } from './items.js'
import { PortStream } from './port-stream.js'
import { SeqTracker, type GapRange } from './seq-tracker.js'
import type { DataMessage, GapMessage, HelloMessage, PortInfo, ServerMessage } from './wire.js'

export interface FeedsHost {
  request(message: object): Promise<ServerMessage>
  /** Sends without waiting for an answer, if connected. */
  post(message: object): void
  readonly connected: boolean
  /** The current server epoch, if it announces one. */
  readonly epoch: string | undefined
  encoding(port: string): string
  /** A gap was yielded (for `stats.gaps`). */
  countGap(): void
}

/** One subscribed port: its seq numbers and the streams reading it. */
class Feed {
  readonly tracker = new SeqTracker()
  readonly readers = new Map<PortStream, ItemQueue>()
  private settle = { resolve: (): void => undefined, reject: (_: BridgeError): void => undefined }
  /** Settles when the bridge first confirms (or refuses) the subscription. */
  readonly ready = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }))

  constructor() {
    // Callers need not await `ready`: the iteration reports the same failure.
    this.ready.catch(() => undefined)
  }

  confirmed(): void {
    this.settle.resolve()
  }

  /** Ends every stream of this port with `error` (or `done` without one). */
  end(error: BridgeError | undefined): void {
    this.settle.reject(error ?? new ConnectionLost('this Bridge is closed'))
    for (const queue of this.readers.values()) queue.end(error)
  }

  push(item: Frame | Gap): void {
    for (const queue of this.readers.values()) queue.push(item)
  }
}

/**
 * The ports this client subscribes to, because streams read them. Subscribes a port for its
 * first stream and unsubscribes it after its last; after a reconnect subscribes them all again,
 * resuming from the last seq seen when the server supports `resume`.
 */
export class Feeds {
  private readonly feeds = new Map<string, Feed>()
  private ended: { error?: BridgeError } | null = null

  constructor(
    private readonly host: FeedsHost,
    private readonly bufferFrames: number,
  ) {}

  ports(): string[] {
    return [...this.feeds.keys()]
  }

  open(port: string): PortStream {
    const queue = new ItemQueue(this.bufferFrames, () => this.host.countGap())
    if (this.ended) {
      const error = this.ended.error ?? new ConnectionLost('this Bridge is closed')
      queue.end(error)
      const refused = Promise.reject(error)
      refused.catch(() => undefined)
      return new PortStream(port, queue, refused, () => undefined)
    }
    let feed = this.feeds.get(port)
    if (!feed) {
      feed = new Feed()
      feed.tracker.connected(this.host.epoch, false)
      this.feeds.set(port, feed)
      if (this.host.connected) this.subscribe([port])
    }
    const stream = new PortStream(port, queue, feed.ready, (s) => this.leave(port, s))
    feed.readers.set(stream, queue)
    return stream
  }

  /** A connection is up: subscribe every port again, resuming where each one stopped. */
  connected(hello: HelloMessage, previousEpoch: string | undefined): void {
    const configured = new Set(hello.ports.map((p) => p.id))
    const canResume = previousEpoch !== undefined && (hello.features ?? []).includes('resume')
    const since: Record<string, number> = {}
    const ports: string[] = []
    for (const [port, feed] of [...this.feeds]) {
      if (!configured.has(port)) {
        this.fail(port, new UnknownPort(`port "${port}" is no longer configured`))
        continue
      }
      const from = canResume ? feed.tracker.resumeFrom(previousEpoch) : undefined
      if (from !== undefined) since[port] = from
      const restart = feed.tracker.connected(hello.epoch, from !== undefined)
      if (restart) this.pushGap(port, feed, restart)
      ports.push(port)
    }
    if (ports.length === 0) return
    const resume = Object.keys(since).length > 0 ? { since, epoch: previousEpoch } : {}
    this.subscribe(ports, resume)
  }

  data(message: DataMessage): void {
    const feed = this.feeds.get(message.port)
    if (!feed) return
    const verdict = feed.tracker.frame(message.seq)
    if (!verdict.accept) return
    if (verdict.gap) this.pushGap(message.port, feed, verdict.gap)
    feed.push(new Frame(message, this.host.encoding(message.port)))
  }

  gap(message: GapMessage): void {
    const feed = this.feeds.get(message.port)
    if (!feed) return
    const range = feed.tracker.serverGap(message.from, message.to, message.restarted === true)
    if (range) this.pushGap(message.port, feed, range)
  }

  /** The port list changed: streams of a port that is gone end with `UnknownPort`. */
  portsChanged(ports: PortInfo[]): void {
    const configured = new Set(ports.map((p) => p.id))
    for (const port of this.ports()) {
      if (!configured.has(port)) this.fail(port, new UnknownPort(`port "${port}" was removed`))
    }
  }

  /** Ends every stream: `done` after a `close()`, else the error. */
  end(error?: BridgeError): void {
    this.ended = error ? { error } : {}
    for (const feed of this.feeds.values()) feed.end(error)
    this.feeds.clear()
  }

  private subscribe(ports: string[], resume: { since?: object; epoch?: string } = {}): void {
    this.host.request({ type: 'subscribe', ports, ...resume }).then(
      () => {
        for (const port of ports) this.feeds.get(port)?.confirmed()
      },
      (error: BridgeError) => {
        // Lost with the connection: the next connection subscribes again.
        if (error instanceof ConnectionLost) return
        for (const port of ports) this.fail(port, error)
      },
    )
  }

  private pushGap(port: string, feed: Feed, range: GapRange): void {
    this.host.countGap()
    feed.push(new Gap(port, range.from, range.to, range.restarted))
  }

  private leave(port: string, stream: PortStream): void {
    const feed = this.feeds.get(port)
    if (!feed?.readers.delete(stream) || feed.readers.size > 0) return
    this.feeds.delete(port)
    this.host.post({ type: 'unsubscribe', ports: [port] })
  }

  private fail(port: string, error: BridgeError): void {
    const feed = this.feeds.get(port)
    if (!feed) return
    this.feeds.delete(port)
    feed.end(error)
  }
}
