import { z } from 'zod'
import type { PortSettings } from './settings-schema'

/** Protocol v1: the contract external tools depend on. docs/protocol.md describes it for people. */
export const PROTOCOL_VERSION = 1

export const CONTROL_PATH = '/ws'
export const PORT_STREAM_PREFIX = '/ports/'

export const portStates = ['closed', 'opening', 'open', 'reconnecting', 'error'] as const
export type PortState = (typeof portStates)[number]

export const errorCodes = [
  'BAD_MESSAGE',
  'UNKNOWN_PORT',
  'PORT_NOT_OPEN',
  'TIMEOUT',
  'FORBIDDEN',
  'TOO_LARGE',
  'INTERNAL',
  'BUSY',
] as const
export type ErrorCode = (typeof errorCodes)[number]

/**
 * A query holds every other query on its port for up to its timeout (they run one at a time),
 * so it is bounded: a minute covers slow instrument operations (self-tests, calibrations).
 */
export const MAX_QUERY_TIMEOUT_MS = 60_000

/** A client may tag a request with any JSON value; it is echoed back verbatim. */
const requestId = z.json().optional()
const portList = z.union([z.literal('*'), z.array(z.string().min(1))])
const writeEncoding = z.enum(['utf8', 'hex', 'base64']).default('utf8')

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('list'), id: requestId }),
  z.strictObject({ type: z.literal('subscribe'), ports: portList, id: requestId }),
  z.strictObject({ type: z.literal('unsubscribe'), ports: portList, id: requestId }),
  z.strictObject({
    type: z.literal('write'),
    port: z.string().min(1),
    data: z.string(),
    encoding: writeEncoding,
    id: requestId,
  }),
  z.strictObject({
    type: z.literal('query'),
    port: z.string().min(1),
    data: z.string(),
    encoding: writeEncoding,
    timeoutMs: z.number().int().min(1).max(MAX_QUERY_TIMEOUT_MS).default(1000),
    id: requestId,
  }),
  z.strictObject({ type: z.literal('ping'), id: requestId }),
])

export type ClientMessage = z.output<typeof clientMessageSchema>
export type WriteEncoding = z.output<typeof writeEncoding>

export interface PortMetrics {
  bytesIn: number
  bytesOut: number
  framesIn: number
  framesOut: number
  /** Averaged over the last few seconds. */
  bytesInPerSec: number
  bytesOutPerSec: number
  framesInPerSec: number
  framesOutPerSec: number
  /** ISO-8601, or null while not open. */
  openSince: string | null
  lastActivity: string | null
  errors: number
  reconnects: number
  /** Frames cut at `framing.maxFrameBytes` because no ending came in time. */
  framesCut: number
  /** Bytes read since the last frame ending (a cut is no ending): the framer may be wrong. */
  unendedBytes: number
  /** Milliseconds from the first to the latest of those bytes; 0 when there are none. */
  unendedMs: number
}

export interface PortInfo {
  id: string
  path: string
  state: PortState
  error?: string
  settings: PortSettings
  metrics: PortMetrics
}

export type DataEncoding = 'utf8' | 'base64'

export type ServerMessage =
  | {
      type: 'hello'
      protocol: typeof PROTOCOL_VERSION
      server: string
      clientId: string
      /** Its writes and queries will be refused (a read-only token or rule); may change later. */
      readOnly: boolean
      ports: PortInfo[]
      /** What this server supports beyond the first version of v1 (docs/protocol.md). */
      features?: string[]
      /** New each time the server starts: `seq` numbers continue only within one epoch. */
      epoch?: string
    }
  | { type: 'ports'; ports: PortInfo[]; id?: unknown }
  | { type: 'subscribed'; id?: unknown; ports: string[] }
  | {
      type: 'data'
      port: string
      data: string
      encoding: DataEncoding
      ts: string
      seq: number
      /** Set on a poll's reply: the poll's name. */
      poll?: string
      /** Set when the frame parsed into numbers (feature `values`). */
      values?: Record<string, number>
      units?: Record<string, string>
    }
  | { type: 'status'; port: string; state: PortState; error?: string; metrics: PortMetrics }
  | { type: 'ack'; id?: unknown; bytes: number }
  | { type: 'reply'; id?: unknown; port: string; data: string; encoding: DataEncoding }
  | { type: 'lagged'; port: string; dropped: number }
  | { type: 'pong'; id?: unknown }
  | { type: 'error'; id?: unknown; code: ErrorCode; message: string }

/** Close codes the server uses. */
export const CloseCode = {
  goingAway: 1001,
  tooLarge: 1009,
  tryAgainLater: 1013,
  /** Disconnected by the operator, blocked by a rule, or its token was removed. */
  policy: 1008,
} as const
