import type { ServerSettings } from './settings-schema'

/**
 * Server settings only a new listener can apply. Changing one restarts the server, which
 * disconnects every client (close code 1001); the others apply to the next connection.
 */
const RESTART_KEYS = [
  'host',
  'port',
  'heartbeatSeconds',
  'maxPayloadBytes',
] as const satisfies readonly (keyof ServerSettings)[]

export function restartNeeded(before: ServerSettings, change: Partial<ServerSettings>): boolean {
  return RESTART_KEYS.some((k) => k in change && change[k] !== before[k])
}
