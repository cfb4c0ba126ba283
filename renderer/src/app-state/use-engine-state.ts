import { useCallback, useEffect, useState } from 'react'
import type { BridgeApi, Notice } from '../../../common/contract'
import type {
  ClientInfo,
  DeviceInfo,
  MqttStatus,
  PortInfo,
  RefusedConnection,
  ServerStatus,
} from '../../../common/engine-api'
import type { Settings } from '../../../common/settings-schema'
import type { AdminConnection } from '../bridge/web-bridge'
import { errorText } from '../shared/use-action'

/** Refused attempts kept on screen, newest first. */
const REFUSED_KEPT = 100

export interface EngineState {
  loaded: boolean
  loadError: string | null
  server: ServerStatus | null
  mqtt: MqttStatus | null
  settings: Settings | null
  ports: PortInfo[]
  clients: ClientInfo[]
  refused: RefusedConnection[]
  devices: DeviceInfo[]
  deviceError: string | null
  notices: Notice[]
}

const initial: EngineState = {
  loaded: false,
  loadError: null,
  server: null,
  mqtt: null,
  settings: null,
  ports: [],
  clients: [],
  refused: [],
  devices: [],
  deviceError: null,
  notices: [],
}

const newestFirst = (list: RefusedConnection[]) =>
  [...list].sort((a, b) => b.at.localeCompare(a.at)).slice(0, REFUSED_KEPT)

function upsertPort(ports: PortInfo[], port: PortInfo, removed?: boolean): PortInfo[] {
  const index = ports.findIndex((p) => p.id === port.id)
  if (removed) return index < 0 ? ports : ports.filter((p) => p.id !== port.id)
  if (index < 0) return [...ports, port]
  const next = [...ports]
  next[index] = port
  return next
}

/**
 * The engine's state as the UI shows it: loaded once, then kept current from bridge events.
 * In the browser it reloads after the admin connection comes back, since events were missed.
 */
export function useEngineState(bridge: BridgeApi, connection: AdminConnection | null) {
  const [state, setState] = useState<EngineState>(initial)

  const reload = useCallback(async () => {
    try {
      const [server, settings, ports, clients, refused, mqtt] = await Promise.all([
        bridge.getServerStatus(),
        bridge.getSettings(),
        bridge.listPorts(),
        bridge.listClients(),
        bridge.listRefused(),
        bridge.getMqttStatus(),
      ])
      setState((s) => ({
        ...s,
        loaded: true,
        loadError: null,
        server,
        mqtt,
        settings,
        ports,
        clients,
        refused: newestFirst(refused),
      }))
    } catch (error) {
      setState((s) => ({ ...s, loadError: errorText(error) }))
    }
  }, [bridge])

  const refreshDevices = useCallback(async () => {
    const result = await bridge.listDevices()
    setState((s) => ({
      ...s,
      devices: result.devices,
      deviceError: result.ok ? null : result.error,
    }))
    return result
  }, [bridge])

  const refreshPorts = useCallback(async () => {
    const ports = await bridge.listPorts()
    setState((s) => ({ ...s, ports }))
  }, [bridge])

  const clearRefused = useCallback(async () => {
    await bridge.clearRefused()
    setState((s) => ({ ...s, refused: [] }))
  }, [bridge])

  const dismissNotice = useCallback((notice: Notice) => {
    setState((s) => ({ ...s, notices: s.notices.filter((n) => n !== notice) }))
  }, [])

  useEffect(() => {
    const offs = [
      bridge.onPort(({ port, removed }) =>
        setState((s) => ({ ...s, ports: upsertPort(s.ports, port, removed) })),
      ),
      bridge.onServer((server) => setState((s) => ({ ...s, server }))),
      bridge.onMqtt((mqtt) => setState((s) => ({ ...s, mqtt }))),
      bridge.onSettings((settings) => setState((s) => ({ ...s, settings }))),
      bridge.onClients((clients) => setState((s) => ({ ...s, clients }))),
      bridge.onRefused((refused) =>
        setState((s) => ({ ...s, refused: [refused, ...s.refused].slice(0, REFUSED_KEPT) })),
      ),
      bridge.onDevices((change) =>
        setState((s) => ({ ...s, devices: change.devices, deviceError: null })),
      ),
      bridge.onNotice((notice) =>
        setState((s) => ({ ...s, notices: [...s.notices, notice].slice(-5) })),
      ),
    ]
    void reload()
    void refreshDevices().catch(() => {})
    let wasDown = false
    const offConnection = connection?.onChange((c) => {
      if (c.state === 'reconnecting' || c.state === 'refused') wasDown = true
      else if (c.state === 'open' && wasDown) {
        wasDown = false
        void reload()
        void refreshDevices().catch(() => {})
      }
    })
    return () => {
      for (const off of offs) off()
      offConnection?.()
    }
  }, [bridge, connection, reload, refreshDevices])

  return { state, reload, refreshDevices, refreshPorts, dismissNotice, clearRefused }
}

export type EngineStateApi = ReturnType<typeof useEngineState>
