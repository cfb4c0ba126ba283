import { z } from 'zod'
import type { SameShape } from './same-shape'
import {
  portStates,
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

export const portInfoSchema = z.object({
  id: z.string(),
  path: z.string(),
  state: z.enum(portStates),
  error: z.string().optional(),
  settings: storedPortSettingsSchema,
  metrics: portMetricsSchema,
  recording: recordingStatusSchema.optional(),
  replay: replayStatusSchema.optional(),
})

const agree: [
  SameShape<z.output<typeof portMetricsSchema>, PortMetrics>,
  SameShape<z.output<typeof recordingStatusSchema>, RecordingStatus>,
  SameShape<z.output<typeof replayStatusSchema>, ReplayStatus>,
  SameShape<z.output<typeof portInfoSchema>, PortInfo>,
] = [true, true, true, true]
void agree
