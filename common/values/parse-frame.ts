import { compileSafePattern } from '../safe-pattern'
import type { ParseSettings } from './parse-settings'

/** Named numbers read from one frame, with their units where the frame or settings give them. */
export interface ParsedValues {
  values: Record<string, number>
  units?: Record<string, string>
  /** `number` mode without a name: a poll's reply files the number under the poll's name. */
  unnamed?: true
}

/** Returns the frame's values, or null when it does not parse (counted, the frame still flows). */
export type FrameParser = (text: string) => ParsedValues | null

/** The channel of an unnamed number that is not a poll's reply. */
export const DEFAULT_CHANNEL = 'value'

const NUMBER = String.raw`[+-]?\s*(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`
const WHOLE_NUMBER = new RegExp(`^${NUMBER}$`)
/** `+  12.345 g`, `-0.5`, `1e-3 V`: one number, optional sign and spaces, optional unit. */
const NUMBER_WITH_UNIT = new RegExp(`^\\s*(${NUMBER})\\s*([^\\d\\s+\\-.,;=:][^\\s,;]*)?\\s*$`)

function toNumber(text: string): number | null {
  const compact = text.replace(/\s+/g, '')
  if (!WHOLE_NUMBER.test(compact)) return null
  const n = Number(compact)
  return Number.isFinite(n) ? n : null
}

/** `22.4`, `22.4C`, `45 %` → the number and its unit. */
function numberWithUnit(text: string): { value: number; unit?: string } | null {
  const match = NUMBER_WITH_UNIT.exec(text)
  if (!match) return null
  const value = toNumber(match[1]!)
  if (value === null) return null
  return match[2] ? { value, unit: match[2] } : { value }
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&')
}

function result(
  values: Record<string, number>,
  units: Record<string, string>,
  fixed: Record<string, string> | undefined,
): ParsedValues | null {
  const names = Object.keys(values)
  if (names.length === 0) return null
  const all = { ...units }
  for (const n of names) if (fixed?.[n] !== undefined) all[n] = fixed[n]
  return Object.keys(all).length > 0 ? { values, units: all } : { values }
}

function keyValueParser(s: Extract<ParseSettings, { mode: 'keyValue' }>): FrameParser {
  const items = new RegExp(`[\\s${escapeClass(s.itemSeparators)}]+`)
  const pair = new RegExp(
    `^([^${escapeClass(s.pairSeparators)}]+)[${escapeClass(s.pairSeparators)}](.*)$`,
  )
  return (text) => {
    const values: Record<string, number> = {}
    const units: Record<string, string> = {}
    // "T: 22.4" has a space after the separator: join a lone "T:" with the next item.
    const parts = text.trim().split(items).filter(Boolean)
    for (let i = 0; i < parts.length; i++) {
      let part = parts[i]!
      if (pair.exec(part)?.[2] === '' && i + 1 < parts.length) part += parts[++i]!
      const m = pair.exec(part)
      if (!m) continue
      const parsed = numberWithUnit(m[2]!)
      if (!parsed) continue
      const key = m[1]!.trim()
      values[key] = parsed.value
      if (parsed.unit) units[key] = parsed.unit
    }
    return result(values, units, s.units)
  }
}

function csvParser(s: Extract<ParseSettings, { mode: 'csv' }>): FrameParser {
  return (text) => {
    const values: Record<string, number> = {}
    const units: Record<string, string> = {}
    text.split(s.separator).forEach((cell, i) => {
      const column = s.columns[i]
      const parsed = column === undefined ? null : numberWithUnit(cell)
      if (!column || !parsed) return
      values[column] = parsed.value
      if (parsed.unit) units[column] = parsed.unit
    })
    return result(values, units, s.units)
  }
}

function numberParser(s: Extract<ParseSettings, { mode: 'number' }>): FrameParser {
  return (text) => {
    const parsed = numberWithUnit(text)
    if (!parsed) return null
    const key = s.name ?? DEFAULT_CHANNEL
    return {
      values: { [key]: parsed.value },
      ...(parsed.unit ? { units: { [key]: parsed.unit } } : {}),
      ...(s.name === undefined ? { unnamed: true as const } : {}),
    }
  }
}

function regexParser(s: Extract<ParseSettings, { mode: 'regex' }>): FrameParser {
  const compiled = compileSafePattern(s.pattern)
  // The settings schema refuses a pattern that does not compile.
  if (!compiled.ok) return () => null
  const pattern = compiled.value
  return (text) => {
    const groups = pattern.groups(text)
    if (!groups) return null
    const values: Record<string, number> = {}
    for (const [key, raw] of Object.entries(groups)) {
      const n = raw === undefined ? null : toNumber(raw)
      if (n !== null) values[key] = n
    }
    return result(values, {}, s.units)
  }
}

const MAX_JSON_DEPTH = 8

function jsonParser(s: Extract<ParseSettings, { mode: 'json' }>): FrameParser {
  const collect = (value: unknown, path: string, out: Record<string, number>, depth: number) => {
    if (typeof value === 'number' && Number.isFinite(value)) out[path] = value
    else if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      depth < MAX_JSON_DEPTH
    ) {
      for (const [k, v] of Object.entries(value))
        collect(v, path ? `${path}.${k}` : k, out, depth + 1)
    }
  }
  return (text) => {
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch {
      return null
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return null
    const all: Record<string, number> = {}
    collect(doc, '', all, 0)
    const values = s.fields
      ? Object.fromEntries(s.fields.filter((f) => f in all).map((f) => [f, all[f]!]))
      : all
    return result(values, {}, s.units)
  }
}

/** The parser for a port's `parse` setting, or null when it parses nothing (`none`). */
export function createFrameParser(settings: ParseSettings): FrameParser | null {
  switch (settings.mode) {
    case 'none':
      return null
    case 'keyValue':
      return keyValueParser(settings)
    case 'csv':
      return csvParser(settings)
    case 'number':
      return numberParser(settings)
    case 'regex':
      return regexParser(settings)
    case 'json':
      return jsonParser(settings)
  }
}
