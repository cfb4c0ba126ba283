import { z } from 'zod'
import { portStates, type PortInfo, type PortMetrics } from '../protocol'
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

export const portInfoSchema = z.object({
  id: z.string(),
  path: z.string(),
  state: z.enum(portStates),
  error: z.string().optional(),
  settings: storedPortSettingsSchema,
  metrics: portMetricsSchema,
})

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const metricsAgree: Same<z.output<typeof portMetricsSchema>, PortMetrics> = true
const infoAgrees: Same<z.output<typeof portInfoSchema>, PortInfo> = true
void metricsAgree
void infoAgrees
