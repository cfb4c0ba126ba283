import type { Settings } from '../../../common/settings-schema'
import { validateSettings } from '../../../common/validation'

/** The listen address: when the new one cannot be bound, these go back to what worked. */
export const ADDRESS_KEYS = [
  'host',
  'port',
] as const satisfies readonly (keyof Settings['server'])[]

/**
 * The settings to go back to when the new listen address cannot be bound: the old host and
 * port with every other new value, unless that mix breaks a rule (the lab network with the
 * token just removed), in which case the old server settings whole.
 */
export function addressRollback(before: Settings['server'], after: Settings): Settings {
  const mixed = validateSettings({
    ...after,
    server: { ...after.server, host: before.host, port: before.port },
  })
  return mixed.ok ? mixed.value : { ...after, server: before }
}
