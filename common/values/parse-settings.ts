import { z } from 'zod'
import { compileSafePattern } from '../safe-pattern'

/**
 * How a port's frames become named numbers (`parse` in the port settings). Runtime-neutral:
 * the engine parses every frame with it, and the port form previews the same parse.
 */

const name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a channel name starts with a letter or _ (e.g. "T", "RH")')

/** Fixed units per channel, for modes whose text carries none (e.g. `{"T":"°C"}`). */
const units = z.record(name, z.string().max(16)).optional()

const none = z.strictObject({ mode: z.literal('none') })

const keyValue = z.strictObject({
  mode: z.literal('keyValue'),
  /** Characters that join a name to its number: `T=22.4`, `T:22.4`. */
  pairSeparators: z.string().min(1).max(8).default('=:'),
  /** Characters that separate pairs; whitespace always does too: `T=1,RH=2`, `T:1 RH:2`. */
  itemSeparators: z.string().max(8).default(',;'),
  units,
})

const csv = z.strictObject({
  mode: z.literal('csv'),
  /** Names of the columns, in order; a frame may have fewer cells. */
  columns: z.array(name).min(1).max(64),
  separator: z.string().min(1).max(4).default(','),
  units,
})

const number = z.strictObject({
  mode: z.literal('number'),
  /** The channel's name; without one, a poll's reply takes the poll's name (else `value`). */
  name: name.optional(),
})

const regex = z.strictObject({
  mode: z.literal('regex'),
  /**
   * Named groups become channels: `T=(?<T>[-\d.]+)`; groups that are not numbers are skipped.
   * RE2 syntax (see safe-pattern), so a pattern can never stall the engine.
   */
  pattern: z
    .string()
    .min(1)
    .max(1000)
    .superRefine((pattern, ctx) => {
      const compiled = compileSafePattern(pattern)
      if (!compiled.ok) {
        for (const message of compiled.errors) ctx.addIssue({ code: 'custom', message })
      } else if (compiled.value.groupNames.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'needs a named group, e.g. (?<T>[-\\d.]+)' })
      }
    }),
  units,
})

const json = z.strictObject({
  mode: z.literal('json'),
  /** Paths to take (`a.b`); without it, every numeric field, nested ones as `a.b`. */
  fields: z.array(z.string().min(1).max(256)).max(64).optional(),
  units,
})

export const parseSettingsSchema = z.discriminatedUnion('mode', [
  none,
  keyValue,
  csv,
  number,
  regex,
  json,
])

export type ParseSettings = z.output<typeof parseSettingsSchema>
export type ParseSettingsInput = z.input<typeof parseSettingsSchema>
export type ParseMode = ParseSettings['mode']
export const parseModes = [
  'none',
  'keyValue',
  'csv',
  'number',
  'regex',
  'json',
] as const satisfies readonly ParseMode[]
