import {
  parseSettingsSchema,
  type ParseMode,
  type ParseSettings,
  type ParseSettingsInput,
} from '../../../common/values/parse-settings'
import { formatIssues } from '../../../common/validation'
import type { SelectOption } from '../shared/select-field'
import { escapeBytes, unescapeBytes } from './draft-text'

/**
 * The Numbers section as typed: every mode's options at once, so trying another mode and
 * coming back loses nothing. Separators are typed with escapes (`\t`), lists with commas.
 */
export interface ParseDraft {
  mode: ParseMode
  pairSeparators: string
  itemSeparators: string
  columns: string
  separator: string
  name: string
  pattern: string
  fields: string
  /** `T=°C, RH=%`. */
  units: string
}

export const PARSE_MODES: readonly SelectOption<ParseMode>[] = [
  { value: 'none', label: 'none (frames stay text)' },
  { value: 'keyValue', label: 'name=value pairs' },
  { value: 'csv', label: 'columns (CSV)' },
  { value: 'number', label: 'one number' },
  { value: 'regex', label: 'a pattern' },
  { value: 'json', label: 'JSON fields' },
]

/** What a frame of each mode looks like, shown under the choice. */
export const PARSE_EXAMPLES: Record<ParseMode, string> = {
  none: 'The Plot view and values need a mode',
  keyValue: 'T=22.4,RH=45.2 or T:22.4 RH:45.2',
  csv: '22.4,45.2 with columns T, RH',
  number: '+  12.345 g, as balances print it',
  regex: 'Any text: named groups pick the numbers',
  json: '{"T":22.4,"env":{"RH":45}}',
}

// The schema's defaults, so the form starts where the engine would.
const keyValueDefaults = parseSettingsSchema.parse({ mode: 'keyValue' }) as Extract<
  ParseSettings,
  { mode: 'keyValue' }
>
const csvDefaults = parseSettingsSchema.parse({ mode: 'csv', columns: ['a'] }) as Extract<
  ParseSettings,
  { mode: 'csv' }
>

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

export function parseDraftFrom(p: ParseSettings): ParseDraft {
  const units = 'units' in p && p.units ? p.units : {}
  return {
    mode: p.mode,
    pairSeparators: escapeBytes(
      p.mode === 'keyValue' ? p.pairSeparators : keyValueDefaults.pairSeparators,
    ),
    itemSeparators: escapeBytes(
      p.mode === 'keyValue' ? p.itemSeparators : keyValueDefaults.itemSeparators,
    ),
    columns: p.mode === 'csv' ? p.columns.join(', ') : '',
    separator: escapeBytes(p.mode === 'csv' ? p.separator : csvDefaults.separator),
    name: p.mode === 'number' ? (p.name ?? '') : '',
    pattern: p.mode === 'regex' ? p.pattern : '',
    fields: p.mode === 'json' ? (p.fields ?? []).join(', ') : '',
    units: Object.entries(units)
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
  }
}

/** `T=°C, RH=%` → `{T:'°C', RH:'%'}`; null when an item has no `=`. */
function unitsOf(text: string): Record<string, string> | null {
  const out: Record<string, string> = {}
  for (const item of list(text)) {
    const eq = item.indexOf('=')
    if (eq <= 0) return null
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim()
  }
  return out
}

function inputOf(d: ParseDraft, units: Record<string, string> | null): ParseSettingsInput {
  const withUnits = units && Object.keys(units).length > 0 ? { units } : {}
  const fields = list(d.fields)
  switch (d.mode) {
    case 'none':
      return { mode: 'none' }
    case 'keyValue':
      return {
        mode: 'keyValue',
        pairSeparators: unescapeBytes(d.pairSeparators),
        itemSeparators: unescapeBytes(d.itemSeparators),
        ...withUnits,
      }
    case 'csv':
      return {
        mode: 'csv',
        columns: list(d.columns),
        separator: unescapeBytes(d.separator),
        ...withUnits,
      }
    case 'number':
      return { mode: 'number', ...(d.name.trim() ? { name: d.name.trim() } : {}) }
    case 'regex':
      return { mode: 'regex', pattern: d.pattern, ...withUnits }
    case 'json':
      return { mode: 'json', ...(fields.length > 0 ? { fields } : {}), ...withUnits }
  }
}

/**
 * The draft as the `parse` setting, checked by the settings schema: errors start with their
 * field (`parse.pattern: does not compile: …`), and `value` is what the engine would use.
 */
export function parseInput(d: ParseDraft): {
  input: ParseSettingsInput
  value: ParseSettings | null
  errors: string[]
} {
  const units = unitsOf(d.units)
  const input = inputOf(d, units)
  const errors: string[] = []
  if (units === null && d.mode !== 'none' && d.mode !== 'number')
    errors.push('parse.units: write name=unit pairs, e.g. T=°C, RH=%')
  const checked = parseSettingsSchema.safeParse(input)
  if (!checked.success) errors.push(...formatIssues(checked.error, ['parse']))
  return { input, value: checked.success && errors.length === 0 ? checked.data : null, errors }
}
