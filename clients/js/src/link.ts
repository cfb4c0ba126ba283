import { ConnectFailed } from './errors.js'
import { redact } from './options.js'
import { utf8Length } from './codec.js'
import type { PinnedDial } from './pinning.js'
import { openSocket, type CloseDetail, type Socket, type WebSocketConstructor } from './socket.js'
import { parseServerMessage, type HelloMessage, type ServerMessage } from './wire.js'

/** One connection to `/ws`, from the socket opening through `hello` until it drops. */
export interface Link {
  readonly hello: HelloMessage
  send(message: object): void
  /** Closes with a handshake, waiting at most `waitMs` before dropping it. */
  close(waitMs: number): Promise<void>
}

export interface LinkOptions {
  /** Time for the connection to open and the server's `hello` to arrive. */
  connectTimeoutMs: number
  /** With nothing received for this long a `ping` is sent; with nothing again, the link is dead. 0: off. */
  heartbeatMs: number
  /** With a pinned certificate: the checked TLS connection the upgrade goes out on. */
  dial?: PinnedDial
}

export interface LinkHandlers {
  /** `hello` came: the link is up (called before any later message is handled). */
  up(link: Link): void
  message(message: ServerMessage, bytes: number): void
  /** The link ended without `close()`: the server went away, or stopped answering. */
  dropped(code: number, reason: string): void
}

export interface Opening {
  link: Promise<Link>
  /** Gives up the attempt: the socket is dropped and `link` rejects. */
  abort(): void
}

/** Starts a connection; `link` resolves once `hello` came, else rejects with `ConnectFailed`. */
export function openLink(
  Ctor: WebSocketConstructor,
  url: string,
  options: LinkOptions,
  handlers: LinkHandlers,
): Opening {
  let socket: Socket | undefined
  let hello: HelloMessage | undefined
  let closed: (() => void) | undefined
  let heartbeat: ReturnType<typeof setInterval> | undefined
  let heard = true
  let pinged = false
  /** Timed out or aborted while still dialling: a connection that comes late is dropped. */
  let givenUp = false
  /** With a pinned certificate, the TLS connection is made and checked first. */
  const dialling = options.dial?.(url)
  const shown = redact(url)
  let settle: { resolve(link: Link): void; reject(error: ConnectFailed): void }
  const link = new Promise<Link>((resolve, reject) => (settle = { resolve, reject }))
  const helloTimer = setTimeout(() => {
    givenUp = true
    dialling?.cancel()
    socket?.abandon()
    settle.reject(
      new ConnectFailed(
        `no hello from ${shown} within ${options.connectTimeoutMs} ms: is Serial Bridge running there?`,
      ),
    )
  }, options.connectTimeoutMs)

  const stopTimers = (): void => {
    clearTimeout(helloTimer)
    clearInterval(heartbeat)
  }
  const live: Link = {
    get hello() {
      return hello!
    },
    send: (message) => socket!.send(JSON.stringify(message)),
    close(waitMs) {
      stopTimers()
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          socket!.abandon()
          resolve()
        }, waitMs)
        closed = () => {
          clearTimeout(timer)
          resolve()
        }
        socket!.close(1000)
      })
    },
  }
  const beat = (): void => {
    if (heard) {
      heard = false
      return
    }
    if (pinged) {
      stopTimers()
      socket!.abandon()
      return handlers.dropped(1006, `no answer for ${2 * options.heartbeatMs} ms`)
    }
    pinged = true
    socket!.send('{"type":"ping"}')
  }

  const handlersOfSocket = {
    message(text: string) {
      heard = true
      pinged = false
      const message = parseServerMessage(text)
      if (!message) return
      if (hello) return handlers.message(message, utf8Length(text))
      if (message.type !== 'hello') return
      hello = message
      clearTimeout(helloTimer)
      if (options.heartbeatMs > 0) heartbeat = setInterval(beat, options.heartbeatMs)
      settle.resolve(live)
      handlers.up(live)
      handlers.message(message, utf8Length(text))
    },
    close(code: number, reason: string, detail: CloseDetail) {
      stopTimers()
      if (closed) return closed()
      if (hello) return handlers.dropped(code, reason)
      settle.reject(refusal(url, code, reason, detail))
    },
  }
  const start = (wsOptions?: object): void => {
    try {
      socket = openSocket(Ctor, url, handlersOfSocket, wsOptions)
    } catch (error) {
      stopTimers()
      settle.reject(
        new ConnectFailed(`cannot connect to ${shown}: ${String(error)}`, undefined, {
          cause: error,
        }),
      )
    }
  }
  if (!dialling) start()
  else
    dialling.ready.then(
      (pinned) => {
        if (givenUp) return pinned.destroy()
        start(pinned.wsOptions)
      },
      (error: ConnectFailed) => {
        stopTimers()
        settle.reject(error)
      },
    )
  return {
    link,
    abort() {
      givenUp = true
      dialling?.cancel()
      stopTimers()
      socket?.abandon()
      settle.reject(new ConnectFailed(`connecting to ${shown} was given up`))
    },
  }
}

/** Why the first connection failed, in words a person can act on. */
function refusal(
  url: string,
  code: number,
  reason: string,
  { refused, error, nobodyListening }: CloseDetail,
): ConnectFailed {
  const shown = redact(url)
  if (refused)
    return new ConnectFailed(
      `Serial Bridge refused ${shown}: HTTP ${refused.status} ${refused.body}`,
      refused.status,
    )
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin
  const hint =
    origin !== undefined
      ? `Is Serial Bridge running, and is this page's origin ${origin} in server.allowedOrigins? ` +
        '(A browser does not show the page why an upgrade was refused; the app lists refusals.)'
      : 'Is Serial Bridge running at that address?'
  const why = error ?? `closed with ${code}${reason ? ` ${reason}` : ''} before hello`
  return new ConnectFailed(`cannot connect to ${shown} (${why}). ${hint}`, undefined, {
    nobodyListening,
  })
}
