import type { Engine, Unsubscribe } from '../../../common/engine-api'
import type { BridgeServer } from '../server/bridge-server'
import type { PortManager } from '../serial/port-manager'
import type { SettingsKeeper } from '../settings/settings-keeper'
import type { WiredCapabilities } from './capability-wiring'
import type { EngineEventHub } from './engine-events'
import type { Epoch } from './epoch'
import type { PortOperations } from './port-operations'
import { failure, result } from './results'
import type { ServerSide } from './server-side'
import type { SettingsChanges } from './settings-changes'

export interface EngineParts {
  events: EngineEventHub
  epoch: Epoch
  kept: SettingsKeeper
  ports: PortManager
  portOperations: PortOperations
  settingsChanges: SettingsChanges
  capabilities: WiredCapabilities
  server: ServerSide
  /** How often the `clients` event repeats with fresh counters while clients are connected. */
  clientsIntervalMs: number
}

/**
 * The Engine the hosts hold (common/engine-api.ts): start and stop in their order, and each
 * method handed to the part that answers it.
 */
export function engineMethods(
  parts: EngineParts,
): Engine & { readonly server: () => BridgeServer } {
  const { events, ports, capabilities, server } = parts
  const { operations, operation } = capabilities
  const unavailable = (what: string) => failure(`${what} is not available in this engine`)
  return {
    server: () => server.current(),

    async start() {
      parts.epoch.renew()
      const started = await server.listen()
      for (const c of capabilities.list) await c.start?.()
      if (started.state === 'listening') ports.openAutoPorts()
      server.startClientsEvents(parts.clientsIntervalMs)
      return started
    },

    async stop() {
      server.stopClientsEvents()
      for (const c of [...capabilities.list].reverse()) await c.stop?.()
      await ports.stop()
      await server.close()
    },

    getServerStatus: () => server.status(),
    getSettings: () => parts.kept.current(),
    updateServerSettings: parts.settingsChanges.updateServerSettings,
    updateMqttSettings: parts.settingsChanges.updateMqttSettings,
    importSettings: parts.settingsChanges.importSettings,
    getMqttStatus: () => operation('getMqttStatus')(),
    testMqtt: (input) => operation('testMqtt')(input),

    ...parts.portOperations,

    listClients: () => server.current().registry.list(),
    disconnectClient: (id) =>
      server.current().kick(id) ? result(undefined) : failure(`no client with id "${id}"`),
    setClientReadOnly: (id, readOnly) => server.current().setReadOnly(id, readOnly),
    listRefused: () => server.listRefused(),
    clearRefused: () => server.clearRefused(),

    setRecording: async (port, enabled) =>
      (await operations.setRecording?.(port, enabled)) ?? unavailable('recording'),
    listRecordings: async () => (await operations.listRecordings?.()) ?? unavailable('recording'),
    deleteRecording: async (file) =>
      (await operations.deleteRecording?.(file)) ?? unavailable('recording'),
    exportRecordingCsv: async (file) =>
      (await operations.exportRecordingCsv?.(file)) ?? unavailable('recording'),
    recordingsFolder: async (port) =>
      (await operations.recordingsFolder?.(port)) ?? unavailable('recording'),
    recordingFilePath: (file) => operations.recordingFilePath?.(file) ?? unavailable('recording'),

    on(event, listener): Unsubscribe {
      const off = events.on(event, listener)
      // The device list is polled only while someone shows it.
      if (event === 'devices') ports.setDevicePolling(true)
      return () => {
        off()
        if (event === 'devices') ports.setDevicePolling(events.listenerCount('devices') > 0)
      }
    },
  }
}
