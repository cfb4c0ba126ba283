import { z } from 'zod'
import type { SameShape } from './same-shape'
import { pollSettingsSchema } from '../polls/poll-settings'
import {
  portStates,
  type ChannelInfo,
  type PollInfo,
  type PollStats,
  type PortInfo,
  type PortMetrics,
  type RecordingStatus,
  type ReplayStatus,
} from '../protocol'
import { storedPortSettingsSchema } from '../settings-schema'

/**
 * PortInfo as the REST API describes it (openapi.json). protocol.ts declares the type the
 * engine fills in; the checks at the end fail to compile when the two differ in any field, so
 * the description cannot drift from what the engine sends.
 */

const count = z.number().int().min(0)
const rate = z.number().min(0)
const isoOrNull = z.string().nullable()

export const portMetricsSchema = z
  .object({
    bytesIn: count,
    bytesOut: count,
    framesIn: count,
    framesOut: count,
    bytesInPerSec: rate,
    bytesOutPerSec: rate,
    framesInPerSec: rate,
    framesOutPerSec: rate,
    openSince: isoOrNull.describe('ISO-8601, or null while not open'),
    lastActivity: isoOrNull,
    errors: count,
    reconnects: count,
    framesCut: count.describe('frames cut at framing.maxFrameBytes'),
    unendedBytes: count.describe('bytes read since the last frame ending'),
    unendedMs: count.describe('from the first to the latest of those bytes'),
    parseErrors: count.describe('frames that did not parse into numbers (parse setting)'),
  })
  .describe('Counters since the port was configured; *PerSec are averages over a few seconds')

/** Feature `record` (docs/recording.md). */
export const recordingStatusSchema = z.object({
  state: z.enum(['off', 'recording', 'error']),
  error: z.string().optional(),
  file: z.string().nullable().describe('relative to the recordings folder'),
  bytes: count,
  frames: count,
  since: isoOrNull,
  dropped: count,
})

/** What a `sim:replay` port is playing. */
export const replayStatusSchema = z.object({
  file: z.string(),
  played: count,
  badLines: count,
  finished: z.boolean(),
})

/** Feature `polls`. */
export const pollStatsSchema = z.object({
  sent: count,
  answered: count,
  timeouts: count,
  skipped: count.describe('ticks with no command: the previous reply was outstanding, or a stall'),
  lastReplyAt: isoOrNull,
  lastRoundTripMs: z.number().min(0).nullable(),
})

export const pollInfoSchema = z.intersection(
  pollSettingsSchema,
  z.object({
    owner: z.string().describe('"settings", or the id of the client that started it'),
    stats: pollStatsSchema,
  }),
)

/** Feature `values`: a numeric channel seen on the port since it opened. */
export const channelInfoSchema = z.object({
  name: z.string(),
  last: z.number(),
  unit: z.string().optional(),
  min: z.number(),
  max: z.number(),
  count,
})

export const portInfoSchema = z.object({
  id: z.string(),
  path: z.string(),
  state: z.enum(portStates),
  error: z.string().optional(),
  settings: storedPortSettingsSchema,
  metrics: portMetricsSchema,
  recording: recordingStatusSchema.optional(),
  replay: replayStatusSchema.optional(),
  until: isoOrNull.optional().describe('while released: when it opens again by itself'),
  polls: z.array(pollInfoSchema).optional(),
  channels: z.array(channelInfoSchema).optional(),
})

const agree: [
  SameShape<z.output<typeof portMetricsSchema>, PortMetrics>,
  SameShape<z.output<typeof recordingStatusSchema>, RecordingStatus>,
  SameShape<z.output<typeof replayStatusSchema>, ReplayStatus>,
  SameShape<z.output<typeof pollStatsSchema>, PollStats>,
  SameShape<z.output<typeof pollInfoSchema>, PollInfo>,
  SameShape<z.output<typeof channelInfoSchema>, ChannelInfo>,
  SameShape<z.output<typeof portInfoSchema>, PortInfo>,
] = [true, true, true, true, true, true, true]
void agree
