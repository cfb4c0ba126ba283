import type { ParseSettings } from '../../../common/values/parse-settings'
import { FieldErrors } from '../shared/field-errors'
import { SelectField } from '../shared/select-field'
import { TextField } from '../shared/text-field'
import { POLL_ENCODINGS, newPollDraft, type PollDraft } from './poll-draft'
import { PollTry } from './poll-try'

export interface PollsSectionProps {
  polls: PollDraft[]
  onChange: (polls: PollDraft[]) => void
  /** Errors of the polls (the form's, the schema's, the engine's), each starting with its field. */
  errors: readonly string[]
  /** The saved port to try commands on; null while adding one. */
  portId: string | null
  writeTerminator: string
  /** The Numbers section's setting as typed, to read numbers from a reply; null: none. */
  parse: ParseSettings | null
}

/** The questions the bridge asks the instrument on a schedule, one row each. */
export function PollsSection({
  polls,
  onChange,
  errors,
  portId,
  writeTerminator,
  parse,
}: PollsSectionProps) {
  const change = (i: number, patch: Partial<PollDraft>) =>
    onChange(polls.map((p, j) => (j === i ? { ...p, ...patch } : p)))
  return (
    <fieldset className="polls-section">
      <legend>Polls</legend>
      <p className="hint">
        Commands the bridge sends on a schedule while the port is open, e.g. <code>MEAS?</code>{' '}
        every 500 ms. Replies reach every tool as data tagged with the poll&apos;s name.
      </p>
      {polls.map((p, i) => {
        const field = `polls[${i}]`
        const own = errors.filter((e) => e.startsWith(`${field}.`) || e.startsWith(`${field}:`))
        const invalid = (key: keyof PollDraft) =>
          own.some((e) => e.startsWith(`${field}.${key}`)) || undefined
        return (
          <div className="poll-row" role="group" aria-label={`Poll ${i + 1}`} key={p.key}>
            <div className="poll-fields">
              <TextField
                label="Name"
                value={p.name}
                onChange={(name) => change(i, { name })}
                invalid={invalid('name')}
                spellCheck={false}
              />
              <TextField
                label="Command"
                className="wide"
                value={p.command}
                onChange={(command) => change(i, { command })}
                invalid={invalid('command')}
                placeholder={p.encoding === 'utf8' ? 'MEAS:VOLT?' : '4d 45 41 53 3f'}
                spellCheck={false}
              />
              <SelectField
                label="Command is"
                options={POLL_ENCODINGS}
                value={p.encoding}
                onChange={(encoding) => change(i, { encoding })}
              />
              <TextField
                label="Every (ms)"
                inputMode="numeric"
                value={p.intervalMs}
                onChange={(intervalMs) => change(i, { intervalMs })}
                invalid={invalid('intervalMs')}
              />
              <TextField
                label="Timeout (ms)"
                inputMode="numeric"
                value={p.timeoutMs}
                onChange={(timeoutMs) => change(i, { timeoutMs })}
                invalid={invalid('timeoutMs')}
              />
              <TextField
                label="Reply matches"
                hint="Optional pattern, e.g. ^V= (lines that don't match stay data)"
                className="wide"
                value={p.expect}
                onChange={(expect) => change(i, { expect })}
                invalid={invalid('expect')}
                spellCheck={false}
              />
            </div>
            <FieldErrors errors={own} />
            <div className="inline">
              <PollTry poll={p} portId={portId} writeTerminator={writeTerminator} parse={parse} />
              <button
                type="button"
                aria-label={`Remove poll ${i + 1}`}
                onClick={() => onChange(polls.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </div>
          </div>
        )
      })}
      <button type="button" onClick={() => onChange([...polls, newPollDraft(polls)])}>
        Add poll
      </button>
    </fieldset>
  )
}
