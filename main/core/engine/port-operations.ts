import type { Engine } from '../../../common/engine-api'
import { deviceConflict } from '../../../common/port-device'
import { portSettingsSchema } from '../../../common/settings-schema'
import { formatIssues, validatePortSettings } from '../../../common/validation'
import { queryPort } from '../port-query'
import { releasePort } from '../release/release-port'
import type { PortManager } from '../serial/port-manager'
import type { SettingsKeeper } from '../settings/settings-keeper'
import { failure, result } from './results'
import type { ServerSide } from './server-side'
import { portsInSettings } from './settings-changes'

export type PortOperations = Pick<
  Engine,
  | 'listPorts'
  | 'addPort'
  | 'updatePort'
  | 'removePort'
  | 'openPort'
  | 'closePort'
  | 'openAllPorts'
  | 'closeAllPorts'
  | 'writePort'
  | 'queryPort'
  | 'releasePort'
  | 'listDevices'
>

export interface PortOperationsDeps {
  kept: SettingsKeeper
  ports: PortManager
  server: ServerSide
  now: () => number
}

/** The engine's port methods: a change to the list is saved with the settings before it is made. */
export function portOperations({ kept, ports, server, now }: PortOperationsDeps): PortOperations {
  return {
    listPorts: () => ports.ports(),

    addPort: (input) =>
      kept.inTurn(async () => {
        const checked = validatePortSettings(input)
        if (!checked.ok) return checked
        if (ports.has(checked.value.id)) {
          return { ok: false, errors: [`id: a port with id "${checked.value.id}" already exists`] }
        }
        const clash = deviceConflict(checked.value, portsInSettings(ports))
        if (clash) return failure(`${clash.field}: ${clash.message}`)
        const next = { ...kept.current(), ports: [...portsInSettings(ports), checked.value] }
        const saved = await kept.commit(next, () => {
          ports.add(checked.value)
          server.current().portsChanged()
        })
        if (!saved.ok) return saved
        const controller = ports.get(checked.value.id)!
        if (checked.value.autoOpen && server.status().state === 'listening') void controller.open()
        return { ok: true, value: controller.info() }
      }),

    updatePort: (id, input) =>
      kept.inTurn(async () => {
        if (!ports.has(id)) return { ok: false, errors: [`no port with id "${id}"`] }
        const parsed = portSettingsSchema.safeParse(input)
        if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error) }
        if (parsed.data.id !== id && ports.has(parsed.data.id)) {
          return { ok: false, errors: [`id: a port with id "${parsed.data.id}" already exists`] }
        }
        const clash = deviceConflict(parsed.data, portsInSettings(ports), id)
        if (clash) return failure(`${clash.field}: ${clash.message}`)
        const renamed = parsed.data.id !== id
        const others = portsInSettings(ports).filter((p) => p.id !== id)
        // The order the port manager keeps: a renamed port is added again, at the end.
        const list = renamed
          ? [...others, parsed.data]
          : portsInSettings(ports).map((p) => (p.id === id ? parsed.data : p))
        const saved = await kept.commit({ ...kept.current(), ports: list }, async () => {
          await ports.update(id, parsed.data)
          if (renamed) server.current().portsChanged()
        })
        if (!saved.ok) return saved
        return { ok: true, value: ports.info(ports.get(parsed.data.id)!) }
      }),

    removePort: (id) =>
      kept.inTurn(async () => {
        if (!ports.has(id)) return failure(`no port with id "${id}"`)
        const next = { ...kept.current(), ports: portsInSettings(ports).filter((p) => p.id !== id) }
        return kept.commit(next, () => ports.remove(id))
      }),

    async openPort(id) {
      const controller = ports.get(id)
      if (!controller) return failure(`no port with id "${id}"`)
      const opened = await controller.open()
      return opened.ok ? result(controller.info()) : failure(opened.error)
    },

    async closePort(id) {
      const controller = ports.get(id)
      if (!controller) return failure(`no port with id "${id}"`)
      await controller.close()
      return result(controller.info())
    },

    openAllPorts: () => ports.openAll(),
    closeAllPorts: () => ports.closeAll(),

    async writePort(id, bytes) {
      const controller = ports.get(id)
      if (!controller) return failure(`no port with id "${id}"`)
      try {
        return result({ bytes: await controller.write(Buffer.from(bytes)) })
      } catch (error) {
        return failure((error as Error).message)
      }
    },

    async queryPort(id, bytes, options) {
      const controller = ports.get(id)
      if (!controller) return failure(`no port with id "${id}"`)
      return queryPort(controller, bytes, options)
    },

    async releasePort(id, seconds) {
      const controller = ports.get(id)
      if (!controller) return failure(`no port with id "${id}"`)
      try {
        await releasePort(controller, seconds, now())
      } catch (error) {
        return failure((error as Error).message)
      }
      return result(ports.info(controller))
    },

    listDevices: () => ports.listDevices(),
  }
}
