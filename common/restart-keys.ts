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
  'tls',
] as const satisfies readonly (keyof ServerSettings)[]

export function restartNeeded(before: ServerSettings, change: Partial<ServerSettings>): boolean {
  // Compared as JSON: `tls` is an object, and a form sends a new one each time.
  return RESTART_KEYS.some(
    (k) => k in change && JSON.stringify(change[k]) !== JSON.stringify(before[k]),
  )
}
