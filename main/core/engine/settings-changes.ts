import type { Engine } from '../../../common/engine-api'
import type { PortSettings } from '../../../common/settings-schema'
import { validateSettings } from '../../../common/validation'
import type { CapabilityContext } from '../capability'
import type { PortManager } from '../serial/port-manager'
import type { SettingsKeeper } from '../settings/settings-keeper'
import { failure } from './results'
import type { ServerSide } from './server-side'

/**
 * The commit path of a change to the settings as a whole or to a section: validated, then
 * saved and put in force by the keeper, then applied (a restart, the ports' own settings).
 */
export interface SettingsChanges extends Pick<
  Engine,
  'updateServerSettings' | 'updateMqttSettings' | 'importSettings'
> {
  /** A capability's change; ports are added and removed only with addPort and removePort. */
  updateSettings: CapabilityContext['updateSettings']
}

export interface SettingsChangesDeps {
  kept: SettingsKeeper
  ports: PortManager
  /** Made after the capabilities, which commit changes too. */
  server: () => ServerSide
}

/** The ports' settings in their order, as their controllers hold them. */
export const portsInSettings = (ports: PortManager): PortSettings[] =>
  ports.ports().map((p) => p.settings)

export function settingsChanges({ kept, ports, server }: SettingsChangesDeps): SettingsChanges {
  const changes: SettingsChanges = {
    async updateSettings(change) {
      const checked = validateSettings(change(kept.current()))
      if (!checked.ok) return checked
      const current = new Map(ports.ports().map((p) => [p.id, p.settings]))
      const next = checked.value.ports
      if (next.length !== current.size || next.some((p) => !current.has(p.id))) {
        return failure('ports: add and remove ports with addPort and removePort')
      }
      const saved = await kept.commit(checked.value, async () => {
        // A port's own settings live in its controller: changed ones are applied there.
        for (const p of next) {
          if (JSON.stringify(p) !== JSON.stringify(current.get(p.id))) await ports.update(p.id, p)
        }
      })
      return saved.ok ? checked : saved
    },

    async updateServerSettings(input) {
      const checked = validateSettings({
        ...kept.current(),
        server: { ...kept.current().server, ...input },
        ports: portsInSettings(ports),
      })
      if (!checked.ok) return checked
      const before = kept.current().server
      const saved = await kept.commit(checked.value)
      if (!saved.ok) return saved
      const errors = await server().restartIfNeeded(before, checked.value.server)
      return errors.length > 0 ? { ok: false, errors } : checked
    },

    async updateMqttSettings(input) {
      const checked = validateSettings({
        ...kept.current(),
        mqtt: { ...kept.current().mqtt, ...input },
        ports: portsInSettings(ports),
      })
      if (!checked.ok) return checked
      const saved = await kept.commit(checked.value)
      return saved.ok ? checked : saved
    },

    async importSettings(input) {
      const checked = validateSettings(input)
      if (!checked.ok) return checked
      const before = kept.current().server
      const saved = await kept.commit(checked.value, async () => {
        for (const info of ports.ports()) await ports.remove(info.id)
      })
      if (!saved.ok) return saved
      await server().restartIfNeeded(before, checked.value.server)
      for (const port of checked.value.ports) ports.add(port)
      if (server().status().state === 'listening') ports.openAutoPorts()
      // Imported, even when the file's address could not be used and the old one was kept: the
      // server status says so, and the value shows the address in effect.
      return { ok: true, value: kept.current() }
    },
  }
  return {
    updateSettings: (change) => kept.inTurn(() => changes.updateSettings(change)),
    updateServerSettings: (input) => kept.inTurn(() => changes.updateServerSettings(input)),
    updateMqttSettings: (input) => kept.inTurn(() => changes.updateMqttSettings(input)),
    importSettings: (input) => kept.inTurn(() => changes.importSettings(input)),
  }
}
