import type { PortSettings } from '../../../common/settings-schema'

/**
 * Port settings the serial line is opened with: changing one closes and reopens the port. Every
 * other field (polls, parse, write terminator, reconnect, and what later capabilities add:
 * record, mqtt, commands) applies to the open port as it is, so clients and polls see no gap.
 */
export const REOPEN_KEYS = [
  'path',
  'baudRate',
  'dataBits',
  'parity',
  'stopBits',
  'flowControl',
  'dtr',
  'rts',
  'framing',
  'encoding',
  'match',
  'replay',
] as const satisfies readonly (keyof PortSettings)[]

export function reopenNeeded(before: PortSettings, after: PortSettings): boolean {
  return REOPEN_KEYS.some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}
