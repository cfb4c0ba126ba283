import type {
  Engine,
  MqttStatus,
  PortInfo,
  ServerStatus,
  Unsubscribe,
} from '../../common/engine-api'
import { mqttTrayText } from '../../common/mqtt-status'

export interface TrayState {
  server: ServerStatus
  ports: PortInfo[]
  clients: number
  /** Absent: the uplink is off (or an engine without one). */
  mqtt?: MqttStatus
}

export interface TrayActions {
  show(): void
  openAll(): void
  closeAll(): void
  quit(): void
}

/** A menu entry; a subset of Electron's `MenuItemConstructorOptions`. */
export interface TrayMenuItem {
  label?: string
  type?: 'separator'
  enabled?: boolean
  click?: () => void
}

/** The part of Electron's `Tray` used here. */
export interface TrayLike<M> {
  setToolTip(text: string): void
  setContextMenu(menu: M): void
  on(event: 'click', listener: () => void): unknown
  destroy(): void
}

const PORTS_LISTED = 10

function serverLine(server: ServerStatus): string {
  if (server.state === 'listening' && server.url) return server.url
  if (server.state === 'error') return `error: ${server.error ?? 'unknown'}`
  return server.state
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Windows cuts tray tooltips at 127 characters, so this stays short. */
export function trayTooltip(state: TrayState): string {
  const open = state.ports.filter((p) => p.state === 'open').length
  const mqtt = state.mqtt ? mqttTrayText(state.mqtt) : null
  return [
    'Serial Bridge',
    serverLine(state.server),
    `${open} of ${plural(state.ports.length, 'port')} open · ${plural(state.clients, 'client')}`,
    ...(mqtt ? [mqtt] : []),
  ]
    .join('\n')
    .slice(0, 127)
}

export function trayMenuTemplate(state: TrayState, actions: TrayActions): TrayMenuItem[] {
  const open = state.ports.filter((p) => p.state === 'open')
  const info = (label: string): TrayMenuItem => ({ label, enabled: false })
  const portLines = open.slice(0, PORTS_LISTED).map((p) => info(`    ${p.id} (${p.path})`))
  if (open.length > PORTS_LISTED)
    portLines.push(info(`    …and ${open.length - PORTS_LISTED} more`))
  return [
    info(`Server: ${serverLine(state.server)}`),
    info(`Open ports: ${open.length} of ${state.ports.length}`),
    ...portLines,
    info(`Clients: ${state.clients}`),
    ...(state.mqtt && state.mqtt.state !== 'off' ? [info(mqttTrayText(state.mqtt)!)] : []),
    { type: 'separator' },
    { label: 'Show Serial Bridge', click: actions.show },
    { label: 'Open all ports', click: actions.openAll, enabled: state.ports.length > 0 },
    { label: 'Close all ports', click: actions.closeAll, enabled: open.length > 0 },
    { type: 'separator' },
    { label: 'Quit', click: actions.quit },
  ]
}

export function trayStateOf(engine: Engine): TrayState {
  return {
    server: engine.getServerStatus(),
    ports: engine.listPorts(),
    clients: engine.listClients().length,
    mqtt: engine.getMqttStatus(),
  }
}

/** How long tray updates are held so a burst of port events makes one menu rebuild. */
const UPDATE_DELAY_MS = 250

/**
 * Keeps the tray's tooltip and menu in step with the engine. `buildMenu` is
 * `Menu.buildFromTemplate`; a click on the icon shows the window.
 */
export function bindTray<M>(
  tray: TrayLike<M>,
  buildMenu: (template: TrayMenuItem[]) => M,
  engine: Engine,
  actions: TrayActions,
): Unsubscribe {
  let timer: NodeJS.Timeout | null = null
  const render = (): void => {
    timer = null
    const state = trayStateOf(engine)
    tray.setToolTip(trayTooltip(state))
    tray.setContextMenu(buildMenu(trayMenuTemplate(state, actions)))
  }
  const schedule = (): void => {
    timer ??= setTimeout(render, UPDATE_DELAY_MS)
  }
  tray.on('click', actions.show)
  let mqttState = ''
  const subscriptions = [
    engine.on('server', schedule),
    engine.on('port', schedule),
    engine.on('clients', schedule),
    engine.on('mqtt', (status) => {
      // The counters change every second: the tooltip follows, the menu only a new state.
      const state = `${status.state} ${status.error ?? ''}`
      if (state !== mqttState) {
        mqttState = state
        return schedule()
      }
      if (!timer) tray.setToolTip(trayTooltip(trayStateOf(engine)))
    }),
  ]
  render()
  return () => {
    if (timer) clearTimeout(timer)
    for (const unsubscribe of subscriptions) unsubscribe()
  }
}
