import { useId, useMemo, useState } from 'react'
import type { PortSettings } from '../../../common/settings-schema'
import { ActionMessage } from '../shared/action-message'
import { CommandsEditor } from './commands-editor'
import { CheckboxField } from '../shared/checkbox-field'
import { FormErrors } from '../shared/form-errors'
import { SelectField } from '../shared/select-field'
import { TextField } from '../shared/text-field'
import type { ActionStatus } from '../shared/use-action'
import {
  DATA_BITS,
  ENCODINGS,
  FLOW_CONTROLS,
  FRAMING_MODES,
  PARITIES,
  STANDARD_BAUD_RATES,
  STOP_BITS,
  TERMINATORS,
  draftToInput,
  escapeBytes,
  type PortDraft,
} from './port-form-model'
import { parseInput } from './parse-draft'
import { pollsInput } from './poll-draft'
import { NumbersSection } from './port-form-numbers'
import { PollsSection } from './port-form-polls'

/** The one value each framing mode needs (raw needs none): its draft key and field. */
const FRAMING_VALUES = {
  delimiter: {
    key: 'delimiter',
    props: { label: 'Delimiter', hint: 'Escapes allowed: \\n \\r \\t \\x03' },
  },
  idle: { key: 'idleMs', props: { label: 'Pause (ms)', inputMode: 'numeric' } },
  length: { key: 'length', props: { label: 'Frame length (bytes)', inputMode: 'numeric' } },
  line: null,
  raw: null,
} as const

export interface PortFormProps {
  /** Present when editing an existing port. */
  editing?: PortSettings
  initial: PortDraft
  status: ActionStatus | null
  errors: string[]
  onSubmit: (input: ReturnType<typeof draftToInput>) => void
  onCancel: () => void
}

/** Add or edit a port with point-and-click fields; the engine validates and names bad fields. */
export function PortForm({ editing, initial, status, errors, onSubmit, onCancel }: PortFormProps) {
  const [draft, setDraft] = useState<PortDraft>(initial)
  const ids = { bauds: useId(), errors: useId() }
  const set = <K extends keyof PortDraft>(key: K, value: PortDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }))
  const bind = <K extends keyof PortDraft>(key: K) => ({
    value: draft[key],
    onChange: (value: PortDraft[K]) => set(key, value),
  })
  const invalid = (field: string) => errors.some((e) => e.startsWith(field)) || undefined
  const terminatorOptions = TERMINATORS.some((t) => t.value === draft.writeTerminator)
    ? TERMINATORS
    : [...TERMINATORS, { value: draft.writeTerminator, label: escapeBytes(draft.writeTerminator) }]
  const framing = FRAMING_VALUES[draft.framingMode]
  // Checked as typed, with the settings schema's own words; the engine's answer adds to them.
  const parse = useMemo(() => parseInput(draft.parse), [draft.parse])
  const pollErrors = useMemo(() => pollsInput(draft.polls).errors, [draft.polls])
  const saved = (prefix: string) => errors.filter((e) => e.startsWith(prefix))
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])]
  const title = editing ? `Edit port ${editing.id}` : 'Add a port'

  return (
    <form
      className="panel port-form"
      aria-label={title}
      aria-describedby={errors.length > 0 ? ids.errors : undefined}
      onSubmit={(event) => {
        event.preventDefault()
        onSubmit(draftToInput(draft, editing))
      }}
    >
      <h2>{title}</h2>
      <FormErrors errors={errors} id={ids.errors} />
      <div className="form-grid">
        <TextField
          label="Path"
          hint="COM3, /dev/ttyUSB0, or sim:demo for the simulated device"
          {...bind('path')}
          invalid={invalid('path')}
          autoFocus
        />
        <TextField
          label="ID"
          hint="Used in the URL; blank: taken from the path"
          {...bind('id')}
          invalid={invalid('id')}
        />
        <TextField
          label="Baud rate"
          role="combobox"
          inputMode="numeric"
          list={ids.bauds}
          {...bind('baudRate')}
          invalid={invalid('baudRate')}
        />
        <datalist id={ids.bauds}>
          {STANDARD_BAUD_RATES.map((b) => (
            <option key={b} value={b} />
          ))}
        </datalist>
        <SelectField label="Data bits" options={DATA_BITS} {...bind('dataBits')} />
        <SelectField label="Parity" options={PARITIES} {...bind('parity')} />
        <SelectField label="Stop bits" options={STOP_BITS} {...bind('stopBits')} />
        <SelectField label="Flow control" options={FLOW_CONTROLS} {...bind('flowControl')} />
        <SelectField label="Encoding" options={ENCODINGS} {...bind('encoding')} />
        <SelectField
          label="Split data into frames"
          options={FRAMING_MODES}
          {...bind('framingMode')}
        />
        {framing && (
          // Keyed by mode: a different setting gets a fresh input, not the last one relabelled.
          <TextField
            key={draft.framingMode}
            {...framing.props}
            {...bind(framing.key)}
            invalid={invalid(`framing.${framing.key}`)}
          />
        )}
        {draft.framingMode !== 'length' && (
          <TextField
            label="Longest frame (bytes)"
            hint="A longer one is cut here and counted"
            inputMode="numeric"
            {...bind('maxFrameBytes')}
            invalid={invalid('framing.maxFrameBytes')}
          />
        )}
        <SelectField
          label="Write terminator"
          hint="Added to text sent by tools"
          options={terminatorOptions}
          {...bind('writeTerminator')}
        />
      </div>
      <div className="checks">
        <CheckboxField
          label="Open automatically at start"
          checked={draft.autoOpen}
          onChange={(v) => set('autoOpen', v)}
        />
        <CheckboxField
          label="Reconnect when unplugged"
          checked={draft.reconnect}
          onChange={(v) => set('reconnect', v)}
        />
        <CheckboxField
          label="Find the device by serial number (if its COM name changes)"
          checked={draft.matchSerial}
          onChange={(v) => set('matchSerial', v)}
        />
        {draft.matchSerial && (
          <TextField
            label="Serial number"
            {...bind('serialNumber')}
            invalid={invalid('match.serialNumber')}
          />
        )}
      </div>
      <PollsSection
        polls={draft.polls}
        onChange={(polls) => set('polls', polls)}
        errors={union(pollErrors, saved('polls'))}
        portId={editing?.id ?? null}
        writeTerminator={draft.writeTerminator}
        parse={parse.value}
      />
      <NumbersSection
        draft={draft.parse}
        onChange={(next) => set('parse', next)}
        errors={union(parse.errors, saved('parse'))}
        value={parse.value}
        portId={editing?.id ?? null}
        encoding={draft.encoding}
      />
      <CommandsEditor
        commands={draft.commands}
        onChange={(commands) => set('commands', commands)}
        invalid={(i) => invalid(`commands[${i}]`)}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={status?.kind === 'busy'}>
          {editing ? 'Save port' : 'Add port'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <ActionMessage status={status} />
      </div>
    </form>
  )
}
