/**
 * One WebSocket: the `ws` package in Node (it reports the HTTP status and reason of a refused
 * connection, and why a connect failed, which Node's built-in WebSocket hides), the platform's
 * own in browsers. `ws` is imported by a computed name so that bundlers for the browser never
 * see it.
 */

/** The part of the WHATWG WebSocket this client uses; `ws` implements it too. */
export interface WebSocketLike {
  readonly readyState: number
  readonly bufferedAmount: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: string, listener: (event: never) => void): void
  /** `ws` only: reports the HTTP answer of a refused upgrade. */
  on?(event: 'unexpected-response', listener: (req: unknown, res: HttpAnswer) => void): void
  /** `ws` only: drops the connection at once, without a closing handshake. */
  terminate?(): void
}

/** `options` is given for a pinned connection only (Node.js): `ws` takes `createConnection`. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string[],
  options?: object,
) => WebSocketLike

interface HttpAnswer {
  statusCode?: number
  on(event: 'data', listener: (chunk: { toString(): string }) => void): void
  on(event: 'end', listener: () => void): void
}

/** What is known about how a socket ended, beyond its close code. */
export interface CloseDetail {
  /** The HTTP answer of a refused upgrade (with `ws` only: browsers hide it). */
  refused?: { status: number; body: string }
  /** The error reported before the close, e.g. `connect ECONNREFUSED 127.0.0.1:8765`. */
  error?: string
  /** Nothing listened at the address (with `ws` only: browsers hide it). */
  nobodyListening?: boolean
}

export interface SocketHandlers {
  message(text: string): void
  /** Called once, however the socket ended. */
  close(code: number, reason: string, detail: CloseDetail): void
}

export interface Socket {
  send(text: string): void
  readonly bufferedAmount: number
  /** Closes with a handshake; `close` is still called once. */
  close(code?: number): void
  /** Drops the connection at once and calls no handler any more. */
  abandon(): void
}

let wsModule: Promise<WebSocketConstructor> | undefined

/** True in Node.js (and runtimes that pass for it), false in a browser page. */
export function runsInNode(): boolean {
  return (
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions
      ?.node === 'string'
  )
}

/** The constructor to use: `ws` in Node, else the platform's own. */
export function platformWebSocket(): Promise<WebSocketConstructor> {
  const native = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (native && !runsInNode()) return Promise.resolve(native)
  const name = 'ws'
  wsModule ??= import(/* @vite-ignore */ /* webpackIgnore: true */ name).then(
    (m: { default: WebSocketConstructor }) => m.default,
    (error: unknown) => {
      if (native) return native
      throw error
    },
  )
  return wsModule
}

/** Opens a socket; handlers are called until `close` (or `abandon`). Throws on an invalid URL. */
export function openSocket(
  Ctor: WebSocketConstructor,
  url: string,
  handlers: SocketHandlers,
  wsOptions?: object,
): Socket {
  const ws = wsOptions ? new Ctor(url, [], wsOptions) : new Ctor(url)
  let live = true
  const detail: CloseDetail = {}
  ws.addEventListener('message', (event: { data: unknown }) => {
    if (live && typeof event.data === 'string') handlers.message(event.data)
  })
  ws.addEventListener('close', (event: { code: number; reason: string }) => {
    if (!live) return
    live = false
    handlers.close(event.code, event.reason, detail)
  })
  // An error is always followed by `close`; keep its words for that.
  ws.addEventListener('error', (event: { message?: unknown; error?: { code?: unknown } }) => {
    if (typeof event.message === 'string' && event.message) detail.error ??= event.message
    if (event.error?.code === 'ECONNREFUSED') detail.nobodyListening = true
  })
  ws.on?.('unexpected-response', (_req, res) => {
    let body = ''
    res.on('data', (chunk) => (body += chunk.toString()))
    res.on('end', () => {
      detail.refused = { status: res.statusCode ?? 0, body: body.trim() }
      ws.terminate?.()
    })
  })
  return {
    send: (text) => ws.send(text),
    get bufferedAmount() {
      return ws.bufferedAmount
    },
    close: (code = 1000) => ws.close(code),
    abandon() {
      live = false
      if (ws.terminate) ws.terminate()
      else ws.close(1000)
    },
  }
}
