/**
 * Protocol v1 as this client reads it (docs/protocol.md plus the additions every server may
 * announce in `hello.features`). Everything from the socket is untrusted: `parseServerMessage`
 * checks the fields the client relies on and returns null for anything else.
 */

/** How the text of a write, query or poll command is turned into bytes. */
export type WriteEncoding = 'utf8' | 'hex' | 'base64'

export type PortState = 'closed' | 'opening' | 'open' | 'reconnecting' | 'error' | 'released'

export interface PortInfo {
  id: string
  path: string
  state: PortState
  error?: string
  /** The port's settings, every default filled in (`encoding`, `framing`, ...). */
  settings: { encoding?: string } & Record<string, unknown>
  metrics: PortMetrics
}

/** Counters since the port was configured; `*PerSec` are averages over the last few seconds. */
export interface PortMetrics {
  bytesIn: number
  bytesOut: number
  framesIn: number
  framesOut: number
  bytesInPerSec: number
  bytesOutPerSec: number
  framesInPerSec: number
  framesOutPerSec: number
  /** ISO-8601, or null while not open. */
  openSince: string | null
  lastActivity: string | null
  errors: number
  reconnects: number
}

export interface HelloMessage {
  type: 'hello'
  protocol: number
  server: string
  clientId: string
  ports: PortInfo[]
  /** What the server implements beyond the base protocol: `resume`, `polls`, ... */
  features?: string[]
  /** New each time the server starts: `seq` numbers continue only within one epoch. */
  epoch?: string
}

export interface DataMessage {
  type: 'data'
  port: string
  data: string
  encoding: 'utf8' | 'base64'
  ts: string
  seq: number
  poll?: string
  values?: Record<string, number>
  units?: Record<string, string>
}

export interface GapMessage {
  type: 'gap'
  port: string
  from: number
  to: number | null
  restarted?: boolean
}

export interface StatusMessage {
  type: 'status'
  port: string
  state: PortState
  error?: string
}

export interface ReplyMessage {
  type: 'reply'
  id?: unknown
  port: string
  data: string
  encoding: 'utf8' | 'base64'
  lines?: string[]
}

export interface ErrorMessage {
  type: 'error'
  id?: unknown
  code: string
  message: string
}

export type ServerMessage =
  | HelloMessage
  | DataMessage
  | GapMessage
  | StatusMessage
  | ReplyMessage
  | ErrorMessage
  | { type: 'ports'; ports: PortInfo[]; id?: unknown }
  | { type: 'subscribed'; ports: string[]; id?: unknown }
  | { type: 'ack'; bytes: number; id?: unknown }
  | { type: 'lagged'; port: string; dropped: number }
  | { type: 'pong'; id?: unknown }
  | { type: 'pollStarted'; port: string; name: string; intervalMs: number; id?: unknown }
  | { type: 'pollStopped'; port: string; name: string; id?: unknown }
  | { type: 'released'; port: string; until: string | null; id?: unknown }
  | {
      type: 'samples'
      port: string
      ts: number[]
      values: Record<string, Array<number | null>>
      units?: Record<string, string>
      count: number
    }

type Fields = Record<string, unknown>
const isString = (v: unknown): v is string => typeof v === 'string'
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isPortInfo = (v: unknown): v is PortInfo =>
  typeof v === 'object' &&
  v !== null &&
  isString((v as Fields).id) &&
  isString((v as Fields).state) &&
  typeof (v as Fields).settings === 'object'
const isPortList = (v: unknown): v is PortInfo[] => Array.isArray(v) && v.every(isPortInfo)
const isText = (v: Fields): boolean =>
  isString(v.data) && (v.encoding === 'utf8' || v.encoding === 'base64')

/** What each message type must carry for the client to act on it. */
const checks: Record<ServerMessage['type'], (m: Fields) => boolean> = {
  hello: (m) => isNumber(m.protocol) && isString(m.clientId) && isPortList(m.ports),
  data: (m) => isString(m.port) && isText(m) && isString(m.ts) && Number.isInteger(m.seq),
  gap: (m) =>
    isString(m.port) && Number.isInteger(m.from) && (m.to === null || Number.isInteger(m.to)),
  status: (m) => isString(m.port) && isString(m.state),
  reply: (m) => isString(m.port) && isText(m),
  error: (m) => isString(m.code) && isString(m.message),
  ports: (m) => isPortList(m.ports),
  subscribed: (m) => Array.isArray(m.ports),
  ack: (m) => isNumber(m.bytes),
  lagged: (m) => isString(m.port) && isNumber(m.dropped),
  pong: () => true,
  pollStarted: (m) => isString(m.port) && isString(m.name),
  pollStopped: (m) => isString(m.port) && isString(m.name),
  released: (m) => isString(m.port) && (m.until === null || isString(m.until)),
  samples: (m) => isString(m.port) && Array.isArray(m.ts) && isNumber(m.count),
}

/** Parses one text frame from `/ws`; null when it is not a message this client understands. */
export function parseServerMessage(raw: string): ServerMessage | null {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const type = (value as Fields).type
  if (!isString(type) || !Object.hasOwn(checks, type)) return null
  return checks[type as ServerMessage['type']](value as Fields) ? (value as ServerMessage) : null
}
