import {
  pollFieldsShape,
  pollListSchema,
  type PollSettings,
  type PollSettingsInput,
} from '../../../common/polls/poll-settings'
import { formatIssues } from '../../../common/validation'
import type { SelectOption } from '../shared/select-field'
import { wholeNumber } from './draft-text'

/** One poll as typed in the port form: strings until Save. */
export interface PollDraft {
  /** Identifies the row while it is edited (React's key); not saved. */
  key: number
  name: string
  command: string
  intervalMs: string
  encoding: PollSettings['encoding']
  timeoutMs: string
  /** Empty: the reply is the next frame. */
  expect: string
}

export const POLL_ENCODINGS: readonly SelectOption<PollSettings['encoding']>[] = [
  { value: 'utf8', label: 'text (+ write terminator)' },
  { value: 'hex', label: 'hex bytes' },
  { value: 'base64', label: 'base64 bytes' },
]

let nextKey = 1

/** A new row: a name that is free on the port, and the schema's own defaults. */
export function newPollDraft(taken: readonly PollDraft[]): PollDraft {
  const names = new Set(taken.map((p) => p.name))
  let n = taken.length + 1
  while (names.has(`poll${n}`)) n++
  return {
    key: nextKey++,
    name: `poll${n}`,
    command: '',
    intervalMs: '1000',
    encoding: pollFieldsShape.encoding.parse(undefined),
    timeoutMs: String(pollFieldsShape.timeoutMs.parse(undefined)),
    expect: '',
  }
}

export function pollDraftFrom(p: PollSettings): PollDraft {
  return {
    key: nextKey++,
    name: p.name,
    command: p.command,
    intervalMs: String(p.intervalMs),
    encoding: p.encoding,
    timeoutMs: String(p.timeoutMs),
    expect: p.expect ?? '',
  }
}

/** Stand in for what the form itself refuses, so the schema still checks the other fields. */
const PLACEHOLDER_MS = 1000
const PLACEHOLDER_COMMAND = '00'

/**
 * The port's polls as input, and every error in them: the form's own (a number typed with
 * letters, no command) and the settings schema's (an interval under 20 ms, an `expect` that does not
 * compile, a name used twice), each starting with its field, e.g.
 * `polls[1].name: duplicate poll name "volt" (also polls[0])`.
 */
export function pollsInput(drafts: readonly PollDraft[]): {
  polls: PollSettingsInput[]
  errors: string[]
} {
  const errors: string[] = []
  const number = (text: string, field: string, i: number, example: number) => {
    const n = wholeNumber(text)
    if (n !== null) return n
    errors.push(`polls[${i}].${field}: type a whole number of milliseconds, e.g. ${example}`)
    return PLACEHOLDER_MS
  }
  const command = (d: PollDraft, i: number) => {
    if (d.command) return d.command
    errors.push(`polls[${i}].command: type the command to send, e.g. MEAS?`)
    return PLACEHOLDER_COMMAND
  }
  const polls = drafts.map((d, i): PollSettingsInput => ({
    name: d.name.trim(),
    command: command(d, i),
    intervalMs: number(d.intervalMs, 'intervalMs', i, 500),
    encoding: d.encoding,
    timeoutMs: number(d.timeoutMs, 'timeoutMs', i, 1000),
    ...(d.expect ? { expect: d.expect } : {}),
  }))
  const checked = pollListSchema.safeParse(polls)
  if (!checked.success) errors.push(...formatIssues(checked.error, ['polls']))
  return { polls, errors }
}
