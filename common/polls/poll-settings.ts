import { z } from 'zod'
import { compileSafePattern } from '../safe-pattern'

/** Poll names appear in URLs and topics (`poll` in data messages), so they are URL-safe. */
export const POLL_NAME_PATTERN = /^[A-Za-z0-9._~-]{1,64}$/
export const MIN_POLL_INTERVAL_MS = 20
export const MAX_POLL_INTERVAL_MS = 24 * 60 * 60 * 1000

/** A regular expression a reply must match (RE2 syntax: see safe-pattern). */
export const expectSchema = z
  .string()
  .min(1)
  .max(1000)
  .superRefine((pattern, ctx) => {
    const compiled = compileSafePattern(pattern)
    if (!compiled.ok)
      for (const message of compiled.errors) ctx.addIssue({ code: 'custom', message })
  })

/**
 * One scheduled question to the instrument (`polls` in the port settings, or a client's
 * `startPoll`): its command goes through the port's query queue every `intervalMs`.
 */
const pollObject = z.strictObject({
  name: z
    .string()
    .regex(POLL_NAME_PATTERN, 'name may use only letters, digits and . _ ~ - (at most 64)'),
  command: z.string().min(1).max(4096),
  intervalMs: z
    .number()
    .int()
    .min(MIN_POLL_INTERVAL_MS, `intervalMs must be at least ${MIN_POLL_INTERVAL_MS} ms`)
    .max(MAX_POLL_INTERVAL_MS, 'intervalMs must be at most 24 h (86400000 ms)'),
  /** `utf8`: text with the port's writeTerminator; `hex` and `base64`: the bytes they spell. */
  encoding: z.enum(['utf8', 'hex', 'base64']).default('utf8'),
  timeoutMs: z.number().int().min(1).max(60_000).default(1000),
  expect: expectSchema.optional(),
})

const HEX = /^(?:\s*[0-9a-fA-F]{2})*\s*$/
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** A command that its encoding cannot turn into bytes is refused with the settings, not at a tick. */
export const pollSettingsSchema = pollObject.superRefine((poll, ctx) => {
  const bad =
    (poll.encoding === 'hex' && !HEX.test(poll.command) && 'pairs of hex digits, e.g. "0d0a"') ||
    (poll.encoding === 'base64' && !BASE64.test(poll.command) && 'valid base64')
  if (bad) ctx.addIssue({ code: 'custom', path: ['command'], message: `is not ${bad}` })
})

/** The fields of a poll (for messages that carry a poll's fields among their own). */
export const pollFieldsShape = pollObject.shape

export type PollSettings = z.output<typeof pollSettingsSchema>
export type PollSettingsInput = z.input<typeof pollSettingsSchema>

/** A port's polls: names unique within the port. */
export const pollListSchema = z
  .array(pollSettingsSchema)
  .max(64)
  .superRefine((polls, ctx) => {
    const seen = new Map<string, number>()
    polls.forEach((p, i) => {
      const first = seen.get(p.name)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `duplicate poll name "${p.name}" (also polls[${first}])`,
        })
      } else seen.set(p.name, i)
    })
  })
