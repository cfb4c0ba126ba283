import { z } from 'zod'
import { expectSchema, pollFieldsShape, type PollSettings } from './polls/poll-settings'
import type { PortSettings } from './settings-schema'

/** Protocol v1: the contract external tools depend on. docs/protocol.md describes it for people. */
export const PROTOCOL_VERSION = 1

export const CONTROL_PATH = '/ws'
export const PORT_STREAM_PREFIX = '/ports/'

/** `released`: closed for a while so another program can use the device (feature `release`). */
export const portStates = [
  'closed',
  'opening',
  'open',
  'reconnecting',
  'error',
  'released',
] as const
export type PortState = (typeof portStates)[number]

export const errorCodes = [
  'BAD_MESSAGE',
  'UNKNOWN_PORT',
  'PORT_NOT_OPEN',
  'TIMEOUT',
  'FORBIDDEN',
  'TOO_LARGE',
  'INTERNAL',
  'RATE_LIMITED',
  'BUSY',
] as const
export type ErrorCode = (typeof errorCodes)[number]

/**
 * A query holds every other query on its port for up to its timeout (they run one at a time),
 * so it is bounded: a minute covers slow instrument operations (self-tests, calibrations).
 */
export const MAX_QUERY_TIMEOUT_MS = 60_000
/** A reply of more lines than this is better read as data (`expectLines`). */
export const MAX_EXPECT_LINES = 1000
/** How long a `release` may last (a day); `null` releases until the port is opened again. */
export const MAX_RELEASE_SECONDS = 24 * 60 * 60
export const MIN_SAMPLES_INTERVAL_MS = 10
export const MAX_SAMPLES_INTERVAL_MS = 60_000

/** A client may tag a request with any JSON value; it is echoed back verbatim. */
const requestId = z.json().optional()
const portList = z.union([z.literal('*'), z.array(z.string().min(1))])
const writeEncoding = z.enum(['utf8', 'hex', 'base64']).default('utf8')
const portId = z.string().min(1)
const { name: pollName, ...pollFields } = pollFieldsShape

/** `subscribe` with `samples`: those ports come as batches of numbers (feature `samples`). */
export const samplesRequestSchema = z.strictObject({
  intervalMs: z
    .number()
    .int()
    .min(MIN_SAMPLES_INTERVAL_MS, `intervalMs must be at least ${MIN_SAMPLES_INTERVAL_MS} ms`)
    .max(MAX_SAMPLES_INTERVAL_MS, `intervalMs must be at most ${MAX_SAMPLES_INTERVAL_MS} ms`),
})

/** An epoch as `hello` gives it (opaque; the server's are short). */
export const epochSchema = z.string().min(1).max(64)

/**
 * `subscribe` with `since` (feature `resume`): the last seq the client has of each port, counted
 * in `epoch`. Checked here so that every reader of the message gets the same clear answer.
 */
function checkResume(
  m: { ports: '*' | string[]; since?: Record<string, number>; epoch?: string },
  ctx: z.RefinementCtx,
): void {
  if (m.since !== undefined && m.epoch === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['epoch'],
      message: 'since needs the epoch its seq numbers belong to (hello.epoch when they were read)',
    })
  }
  if (m.since === undefined && m.epoch !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['epoch'], message: 'epoch goes with since' })
  }
  if (m.since === undefined || m.ports === '*') return
  const outside = Object.keys(m.since).filter((p) => !m.ports.includes(p))
  if (outside.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['since'],
      message: `since names ports that are not in ports: ${outside.join(', ')}`,
    })
  }
}

/** Named, so that the REST API takes the same fields (common/rest/rest-schemas.ts). */
export const writeMessageSchema = z.strictObject({
  type: z.literal('write'),
  port: z.string().min(1),
  data: z.string(),
  encoding: writeEncoding,
  id: requestId,
})

export const queryMessageSchema = z.strictObject({
  type: z.literal('query'),
  port: z.string().min(1),
  data: z.string(),
  encoding: writeEncoding,
  timeoutMs: z.number().int().min(1).max(MAX_QUERY_TIMEOUT_MS).default(1000),
  /** The reply is the first frame matching this (RE2); others flow on as data (feature `polls`). */
  expect: expectSchema.optional(),
  /** The reply is this many frames (the first one matching `expect`, if given). */
  expectLines: z.number().int().min(1).max(MAX_EXPECT_LINES).optional(),
  id: requestId,
})

/** Feature `polls`: the bridge asks the instrument on a schedule (named for the REST API too). */
export const startPollMessageSchema = z.strictObject({
  type: z.literal('startPoll'),
  port: portId,
  name: pollName.optional(),
  ...pollFields,
  /** Saved into the port's settings: it outlives this client. */
  persist: z.boolean().default(false),
  id: requestId,
})

export const stopPollMessageSchema = z.strictObject({
  type: z.literal('stopPoll'),
  port: portId,
  name: pollName,
  id: requestId,
})

/** Feature `release`: the port closes so another program can use the device. */
export const releaseMessageSchema = z.strictObject({
  type: z.literal('release'),
  port: portId,
  seconds: z.number().int().min(1).max(MAX_RELEASE_SECONDS).nullable().default(null),
  id: requestId,
})

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('list'), id: requestId }),
  z
    .strictObject({
      type: z.literal('subscribe'),
      ports: portList,
      samples: samplesRequestSchema.optional(),
      /** Feature `resume`: per port, the last seq the client has; what followed is sent first. */
      since: z.record(z.string().min(1), z.number().int().min(0)).optional(),
      epoch: epochSchema.optional(),
      id: requestId,
    })
    .superRefine(checkResume),
  z.strictObject({ type: z.literal('unsubscribe'), ports: portList, id: requestId }),
  writeMessageSchema,
  queryMessageSchema,
  z.strictObject({ type: z.literal('ping'), id: requestId }),
  // Feature `record` (docs/recording.md): turns the port's recording on or off.
  z.strictObject({
    type: z.literal('record'),
    port: z.string().min(1),
    enabled: z.boolean(),
    id: requestId,
  }),
  startPollMessageSchema,
  stopPollMessageSchema,
  releaseMessageSchema,
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
  /** Frames that did not parse into numbers (`parse` setting), since the setting was made. */
  parseErrors: number
}

/** What a poll has done since it started (or since its port opened). */
export interface PollStats {
  /** Commands asked (queued on the port's query queue). */
  sent: number
  answered: number
  timeouts: number
  /** Ticks with no command: the previous reply was outstanding, the queue was full, or a stall. */
  skipped: number
  /** ISO-8601, or null before the first reply. */
  lastReplyAt: string | null
  /** From the command's turn (its write) to its reply. */
  lastRoundTripMs: number | null
}

/** A poll running on a port: from its settings, or started by a client (`owner` its id). */
export type PollInfo = PollSettings & { owner: 'settings' | string; stats: PollStats }

/** A numeric channel seen on a port since it opened (feature `values`). */
export interface ChannelInfo {
  name: string
  last: number
  unit?: string
  min: number
  max: number
  count: number
}

/** A port's recording to disk (feature `record`). */
export interface RecordingStatus {
  state: 'off' | 'recording' | 'error'
  /** Why writing stopped, in words ("the disk is full"); recording resumes by itself. */
  error?: string
  /** The file being written, relative to the recordings folder (`meter/2026-…Z.jsonl`). */
  file: string | null
  /** Size of that file. */
  bytes: number
  /** Frames written since recording started (`since`). */
  frames: number
  /** ISO-8601: when recording was turned on; null while off. */
  since: string | null
  /** Frames the recorder dropped since then because the disk could not keep up or failed. */
  dropped: number
}

/** What a `sim:replay` port is playing. */
export interface ReplayStatus {
  file: string
  /** Received frames played so far (all loops). */
  played: number
  /** Lines of the file that are not records (a truncated last line is not counted). */
  badLines: number
  /** Played to the end (without `loop`). */
  finished: boolean
}

export interface PortInfo {
  id: string
  path: string
  state: PortState
  error?: string
  settings: PortSettings
  metrics: PortMetrics
  /** Added by the recording capability. */
  recording?: RecordingStatus
  replay?: ReplayStatus
  /** While `released`: when it opens again by itself (ISO-8601), or null (when opened). */
  until?: string | null
  /** Added by the polls capability. */
  polls?: PollInfo[]
  /** Added by the values capability: channels seen since the port opened. */
  channels?: ChannelInfo[]
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
  | {
      type: 'subscribed'
      id?: unknown
      ports: string[]
      /** Ports this client gets as `samples` batches, with their interval (feature `samples`). */
      samples?: Record<string, number>
    }
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
  | {
      type: 'status'
      port: string
      state: PortState
      error?: string
      metrics: PortMetrics
      /** What capabilities add to PortInfo, e.g. `recording` (feature `record`). */
      recording?: RecordingStatus
      replay?: ReplayStatus
      /** With `released`: when the port opens again by itself, or null. */
      until?: string | null
      polls?: PollInfo[]
      channels?: ChannelInfo[]
    }
  | { type: 'ack'; id?: unknown; bytes: number }
  | {
      type: 'reply'
      id?: unknown
      port: string
      data: string
      encoding: DataEncoding
      /** With `expectLines`: each frame of the reply (`data` is them joined with "\n"). */
      lines?: string[]
    }
  | {
      type: 'samples'
      port: string
      /** When each frame was read, epoch ms. */
      ts: number[]
      /** Per channel, one entry per frame: null where that frame lacked the channel. */
      values: Record<string, Array<number | null>>
      units?: Record<string, string>
      count: number
    }
  | { type: 'pollStarted'; id?: unknown; port: string; name: string; intervalMs: number }
  | { type: 'pollStopped'; id?: unknown; port: string; name: string }
  | { type: 'released'; id?: unknown; port: string; until: string | null }
  | { type: 'lagged'; port: string; dropped: number }
  /**
   * Feature `resume`: frames `from`..`to` (inclusive) of the port are lost for this client;
   * `to` is null and `restarted` true when the server restarted since (a new epoch).
   */
  | { type: 'gap'; port: string; from: number; to: number | null; restarted?: true }
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
