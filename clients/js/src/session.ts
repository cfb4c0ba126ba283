import { backoffDelay, type ReconnectPolicy } from './backoff.js'
import { ConnectFailed, ConnectionLost, type BridgeError } from './errors.js'
import { openLink, type Link, type LinkOptions, type Opening } from './link.js'
import { Requests } from './requests.js'
import type { WebSocketConstructor } from './socket.js'
import type { HelloMessage, ServerMessage } from './wire.js'

/** What happens to the connection, as `onConnection` callbacks see it. */
export type ConnectionEvent =
  | { state: 'open'; hello: HelloMessage; reconnected: boolean }
  | { state: 'reconnecting'; attempt: number; delayMs: number; error: BridgeError }
  | { state: 'closed'; error?: BridgeError }

export interface SessionOptions extends LinkOptions {
  reconnect: ReconnectPolicy
  /** How long a request made while reconnecting waits for the connection. */
  requestWaitMs: number
  /** Requests waiting for an answer or for the connection, at most. */
  maxPendingRequests: number
}

export interface SessionHandlers {
  message(message: ServerMessage, bytes: number): void
  /** A connection is up; sent before anything a caller asked for while it was down. */
  connected(hello: HelloMessage, reconnected: boolean): void
  /** The connection dropped (it is being reconnected), or the session ended. */
  disconnected(ended: { error?: BridgeError } | null): void
  /** A reconnection attempt failed (another follows, or the session ends). */
  attemptFailed(error: BridgeError): void
  event(event: ConnectionEvent): void
}

interface Waiter {
  resolve(): void
  reject(error: BridgeError): void
  timer: ReturnType<typeof setTimeout>
}

/**
 * The connection over time: opens it, reconnects with backoff when it drops, and carries
 * requests. A request in flight when the connection drops fails with `ConnectionLost` and is
 * never sent again; one made while reconnecting waits (bounded) and is sent once connected.
 */
export class Session {
  private link: Link | null = null
  private opening: Opening | null = null
  private retry: ReturnType<typeof setTimeout> | null = null
  private attempt = 0
  /** How far the backoff has doubled: failures other than a refused connection. */
  private step = 0
  private ended = false
  private readonly waiters = new Set<Waiter>()
  private readonly requests: Requests

  constructor(
    private readonly Ctor: WebSocketConstructor,
    private readonly url: string,
    private readonly options: SessionOptions,
    private readonly handlers: SessionHandlers,
  ) {
    this.requests = new Requests(options.maxPendingRequests)
  }

  get connected(): boolean {
    return this.link !== null
  }

  get hello(): HelloMessage | undefined {
    return this.link?.hello
  }

  /** The first connection; rejects with `ConnectFailed` (it is not retried). */
  async start(): Promise<void> {
    await this.attemptLink(false)
  }

  /** Sends a request and resolves with its answer; an `error` answer rejects. */
  async request(message: object): Promise<ServerMessage> {
    let link = this.link
    while (!link) {
      await this.waitForLink()
      link = this.link
    }
    const { id, answer } = this.requests.open()
    link.send({ ...message, id })
    return answer
  }

  /** Sends a message that needs no answer, if connected. */
  post(message: object): void {
    this.link?.send(message)
  }

  async close(): Promise<void> {
    if (this.ended) return
    const link = this.link
    this.end(undefined, 'the Bridge was closed')
    await link?.close(1000)
  }

  private attemptLink(reconnected: boolean): Promise<Link> {
    const opening = openLink(this.Ctor, this.url, this.options, {
      up: (link) => this.up(link, reconnected),
      message: (message, bytes) => {
        this.handlers.message(message, bytes)
        this.requests.settle(message)
      },
      dropped: (code, reason) => this.dropped(code, reason),
    })
    this.opening = opening
    return opening.link.finally(() => {
      if (this.opening === opening) this.opening = null
    })
  }

  private up(link: Link, reconnected: boolean): void {
    if (this.ended) return void link.close(0)
    this.link = link
    this.attempt = 0
    this.step = 0
    this.handlers.connected(link.hello, reconnected)
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer)
      waiter.resolve()
    }
    this.waiters.clear()
    this.handlers.event({ state: 'open', hello: link.hello, reconnected })
  }

  private dropped(code: number, reason: string): void {
    this.link = null
    const how = `${code}${reason ? ` ${reason}` : ''}`
    this.requests.failAll(
      () =>
        new ConnectionLost(
          `the connection dropped (${how}) before the answer came; ` +
            'the instrument may or may not have received the request',
        ),
    )
    // 1008: the operator disconnected this client on purpose; coming straight back would undo it.
    if (code === 1008) return this.end(new ConnectionLost(`disconnected by the operator (${how})`))
    this.handlers.disconnected(null)
    this.schedule(new ConnectionLost(`the connection dropped (${how})`))
  }

  private schedule(error: BridgeError): void {
    const { maxAttempts } = this.options.reconnect
    if (this.attempt >= maxAttempts) {
      if (maxAttempts === 0) return this.end(error)
      const why = `gave up reconnecting after ${maxAttempts} attempts: ${error.message}`
      return this.end(new ConnectionLost(why, { cause: error }))
    }
    // Refused (nothing listens: the bridge is stopped or restarting): such an attempt costs next
    // to nothing, so the wait does not grow, and the client is back within about the first
    // delay of a restarted bridge rather than seconds later.
    const refused = error instanceof ConnectFailed && error.nobodyListening
    const delayMs = backoffDelay(refused ? 0 : this.step, this.options.reconnect)
    if (!refused) this.step += 1
    this.attempt += 1
    this.handlers.event({ state: 'reconnecting', attempt: this.attempt, delayMs, error })
    this.retry = setTimeout(() => {
      this.retry = null
      this.attemptLink(true).catch((failure: BridgeError) => {
        if (this.ended) return
        this.handlers.attemptFailed(failure)
        this.schedule(failure)
      })
    }, delayMs)
  }

  private waitForLink(): Promise<void> {
    if (this.ended) return Promise.reject(new ConnectionLost('this Bridge is closed'))
    if (this.waiters.size >= this.options.maxPendingRequests)
      return Promise.reject(new ConnectionLost('too many requests are waiting for the connection'))
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter)
          reject(new ConnectionLost(`not connected within ${this.options.requestWaitMs} ms`))
        }, this.options.requestWaitMs),
      }
      this.waiters.add(waiter)
    })
  }

  /** Stops for good: nothing is retried, every waiting request fails. */
  private end(error: BridgeError | undefined, why = error?.message ?? 'closed'): void {
    if (this.ended) return
    this.ended = true
    this.link = null
    if (this.retry) clearTimeout(this.retry)
    this.retry = null
    this.opening?.abort()
    const lost = () => error ?? new ConnectionLost(why)
    this.requests.failAll(lost)
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer)
      waiter.reject(lost())
    }
    this.waiters.clear()
    this.handlers.disconnected(error ? { error } : {})
    this.handlers.event(error ? { state: 'closed', error } : { state: 'closed' })
  }
}
