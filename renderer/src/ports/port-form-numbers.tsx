import type { PortSettings } from '../../../common/settings-schema'
import type { ParseSettings } from '../../../common/values/parse-settings'
import { FieldErrors } from '../shared/field-errors'
import { SelectField } from '../shared/select-field'
import { TextField } from '../shared/text-field'
import { NumbersPreview } from './numbers-preview'
import { PARSE_EXAMPLES, PARSE_MODES, type ParseDraft } from './parse-draft'

export interface NumbersSectionProps {
  draft: ParseDraft
  onChange: (draft: ParseDraft) => void
  /** Errors of `parse` (the schema's, the engine's), each starting with its field. */
  errors: readonly string[]
  /** The setting as typed, when valid: the preview parses with it. */
  value: ParseSettings | null
  portId: string | null
  encoding: PortSettings['encoding']
}

type Key = Exclude<keyof ParseDraft, 'mode'>

/** The options of each mode, as fields of the draft. */
const FIELDS: Record<ParseDraft['mode'], Array<{ key: Key; label: string; hint?: string }>> = {
  none: [],
  keyValue: [
    { key: 'pairSeparators', label: 'Between name and number', hint: 'Any of these, e.g. =:' },
    {
      key: 'itemSeparators',
      label: 'Between pairs',
      hint: 'Any of these; spaces always count too',
    },
  ],
  csv: [
    { key: 'columns', label: 'Column names', hint: 'In order, e.g. T, RH' },
    { key: 'separator', label: 'Separator', hint: 'e.g. , or ; or \\t' },
  ],
  number: [
    {
      key: 'name',
      label: 'Channel name',
      hint: "Blank: a poll's reply takes the poll's name, other frames value",
    },
  ],
  regex: [
    {
      key: 'pattern',
      label: 'Pattern',
      hint: 'Named groups become channels, e.g. T=(?<T>[-\\d.]+)',
    },
  ],
  json: [{ key: 'fields', label: 'Fields', hint: 'Blank: every number; nested as a.b' }],
}

/** How frames become named numbers (plot, `values`, samples), with a live preview. */
export function NumbersSection({
  draft,
  onChange,
  errors,
  value,
  portId,
  encoding,
}: NumbersSectionProps) {
  const withUnits = draft.mode !== 'none' && draft.mode !== 'number'
  const invalid = (key: Key) => errors.some((e) => e.startsWith(`parse.${key}`)) || undefined
  const field = (key: Key, label: string, hint?: string, wide?: boolean) => (
    <TextField
      key={`${draft.mode}-${key}`}
      label={label}
      hint={hint}
      className={wide ? 'wide' : undefined}
      value={draft[key]}
      onChange={(v) => onChange({ ...draft, [key]: v })}
      invalid={invalid(key)}
      spellCheck={false}
    />
  )
  return (
    <fieldset className="numbers-section">
      <legend>Numbers</legend>
      <p className="hint">
        Read named numbers from each frame: the Plot view draws them and tools get them as{' '}
        <code>values</code>. Frames that don&apos;t match still arrive as data.
      </p>
      <div className="form-grid">
        <SelectField
          label="Read numbers as"
          hint={PARSE_EXAMPLES[draft.mode]}
          options={PARSE_MODES}
          value={draft.mode}
          onChange={(mode) => onChange({ ...draft, mode })}
        />
        {FIELDS[draft.mode].map((f) => field(f.key, f.label, f.hint, f.key === 'pattern'))}
        {withUnits && field('units', 'Units', 'Optional, e.g. T=°C, RH=%')}
      </div>
      <FieldErrors errors={errors} />
      {draft.mode !== 'none' && (
        <NumbersPreview portId={portId} encoding={encoding} settings={value} />
      )}
    </fieldset>
  )
}
