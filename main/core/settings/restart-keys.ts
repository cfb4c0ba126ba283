import type { ServerSettings } from './settings-schema'

/**
 * Server settings only a new listener can apply. Changing one restarts the server, which
 * disconnects every client (close code 1001); the others apply to the next connection.
 */
export const RESTART_KEYS = [
  'host',
  'port',
  'heartbeatSeconds',
  'maxPayloadBytes',
] as const satisfies readonly (keyof ServerSettings)[]

/** The listen address: when the new one cannot be bound, these go back to what worked. */
export const ADDRESS_KEYS = [
  'host',
  'port',
] as const satisfies readonly (typeof RESTART_KEYS)[number][]

export function restartNeeded(before: ServerSettings, change: Partial<ServerSettings>): boolean {
  return RESTART_KEYS.some((k) => k in change && change[k] !== before[k])
}
