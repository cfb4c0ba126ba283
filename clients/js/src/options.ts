import { reconnectPolicy, type ReconnectOptions } from './backoff.js'
import { ConnectFailed } from './errors.js'
import type { SessionOptions } from './session.js'
import type { WebSocketConstructor } from './socket.js'

export interface ConnectOptions {
  /** The bridge's `server.token`, when it has one (sent as `?token=`). */
  token?: string
  /** A name for this client, shown in the bridge's Clients view (sent as `?client=`). */
  client?: string
  /**
   * The bridge's certificate, pinned by its SHA-256 fingerprint as Serial Bridge shows it
   * (`AB:CD:…`; with `server.tls`). The certificate is checked before anything is sent, on
   * every connection, and trusted for exactly that fingerprint; no host name check. Node.js
   * only: in a browser `connect()` refuses it with `ConnectFailed`.
   */
  fingerprint?: string
  /** Reconnect after the connection drops: on by default (250 ms doubling to 5 s, forever). */
  reconnect?: boolean | ReconnectOptions
  /** A WebSocket implementation; default: the platform's, else the `ws` package. */
  WebSocket?: WebSocketConstructor
  /** Time for a connection to open and the server's `hello` to arrive. Default 10 s. */
  connectTimeoutMs?: number
  /** With nothing heard for this long the client pings; no answer again: reconnect. Default 10 s; 0: off. */
  heartbeatMs?: number
  /** How long a request made while reconnecting waits for the connection. Default 10 s. */
  requestWaitMs?: number
  /** Items a stream holds for a slow reader before it drops frames (and yields a `Gap`). Default 10000. */
  bufferFrames?: number
  /** Requests waiting at once, at most; past it a request fails with `Busy`. Default 1000. */
  maxPendingRequests?: number
}

export interface QueryOptions {
  /** How long the bridge waits for the answer (its default: 1000 ms). */
  timeoutMs?: number
  /** Only a frame matching this is the answer (needs the server feature `polls`). */
  expect?: string | RegExp
  /** The answer is this many frames, joined with "\n" (needs the server feature `polls`). */
  expectLines?: number
}

export interface BridgeStats {
  /** Messages received from the bridge, of every kind. */
  messages: number
  /** Their size in bytes. */
  bytes: number
  /** Successful reconnections. */
  reconnects: number
  /** Gaps yielded to streams. */
  gaps: number
  /** Error answers from the bridge and failed connection attempts. */
  errors: number
}

/** The session's settings: the caller's options with every default filled in. */
export function sessionOptions(options: ConnectOptions): SessionOptions {
  return {
    reconnect: reconnectPolicy(options.reconnect),
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    heartbeatMs: options.heartbeatMs ?? 10_000,
    requestWaitMs: options.requestWaitMs ?? 10_000,
    maxPendingRequests: options.maxPendingRequests ?? 1000,
  }
}

/** The URL for messages and logs: never the token. */
export function redact(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/g, '$1***')
}

/** `ws://host:port` (or `http://`, or with `/ws`) → the control endpoint's URL. */
export function controlUrl(url: string, options: ConnectOptions): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (error) {
    throw new ConnectFailed(
      `not a URL: "${redact(url)}" (expected e.g. ws://127.0.0.1:8765)`,
      undefined,
      {
        cause: error,
      },
    )
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:')
    parsed.protocol = parsed.protocol === 'http:' ? 'ws:' : 'wss:'
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    throw new ConnectFailed(
      `not a WebSocket URL: "${redact(url)}" (expected e.g. ws://127.0.0.1:8765)`,
    )
  if (parsed.pathname.startsWith('/ports/'))
    throw new ConnectFailed(
      `${redact(url)} is a port stream; connect to the bridge's address, e.g. ws://127.0.0.1:8765`,
    )
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/ws'
  if (options.token !== undefined) parsed.searchParams.set('token', options.token)
  if (options.client !== undefined) parsed.searchParams.set('client', options.client)
  return parsed.href
}
