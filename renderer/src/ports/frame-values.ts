import {
  createFrameParser,
  type FrameParser,
  type ParsedValues,
} from '../../../common/values/parse-frame'
import type { ParseSettings } from '../../../common/values/parse-settings'
import { formatValue } from '../shared/format-number'

/** One parser per setting object: the form previews with the setting as typed, every render. */
const parsers = new WeakMap<ParseSettings, FrameParser | null>()

/**
 * A frame's numbers as the engine reads them (the same runtime-neutral parser), before the
 * setting is saved. A poll's reply that is one unnamed number takes the poll's name, as there.
 */
export function parseFrameText(
  settings: ParseSettings,
  text: string,
  poll?: string,
): ParsedValues | null {
  let parser = parsers.get(settings)
  if (parser === undefined) parsers.set(settings, (parser = createFrameParser(settings)))
  const parsed = parser?.(text) ?? null
  if (!parsed?.unnamed || !poll) return parsed
  const [value] = Object.values(parsed.values)
  const [unit] = Object.values(parsed.units ?? {})
  return {
    values: { [poll]: value! },
    ...(unit !== undefined ? { units: { [poll]: unit } } : {}),
  }
}

/** `volt = 12.5 V, T = 22.4` */
export function describeValues(parsed: ParsedValues): string {
  return Object.entries(parsed.values)
    .map(([name, v]) => {
      const unit = parsed.units?.[name]
      return `${name} = ${formatValue(v)}${unit ? ` ${unit}` : ''}`
    })
    .join(', ')
}
