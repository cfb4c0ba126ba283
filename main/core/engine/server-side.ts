import type { RefusedConnection, ServerStatus } from '../../../common/engine-api'
import type { ServerSettings } from '../../../common/settings-schema'
import { restartNeeded } from '../../../common/restart-keys'
import type { FaultLog } from '../fault-log'
import { followLastFrames } from '../rest/last-frames'
import { restApi } from '../rest/rest-api'
import { BridgeServer, type ServerExtension } from '../server/bridge-server'
import type { PortManager } from '../serial/port-manager'
import { ADDRESS_KEYS, addressRollback } from '../settings/address-rollback'
import type { SettingsKeeper } from '../settings/settings-keeper'
import { loadServerTls } from '../tls/server-tls'
import { APP_VERSION, SERVER_NAME } from '../version'
import type { WiredCapabilities } from './capability-wiring'
import type { EngineEventHub } from './engine-events'

export interface ServerSideDeps {
  kept: SettingsKeeper
  ports: PortManager
  capabilities: WiredCapabilities
  events: EngineEventHub
  epoch: () => string
  /** Extra routes on the same HTTP server (the web UI and its admin channel). */
  extensions?: ServerExtension[]
  now?: () => number
  /** The app's data folder: `server.tls: "auto"` keeps its certificate there. */
  dataDir?: string
  log: (line: string) => void
  logFault: FaultLog
}

/** The WebSocket server as the engine runs it: made again on a restart, with its status. */
export interface ServerSide {
  /** The server in use now (a restart replaces it). */
  current(): BridgeServer
  status(): ServerStatus
  /** Loads the TLS material the settings ask for and listens; the status says how it went. */
  listen(): Promise<ServerStatus>
  /** Restarts the listener when `before` → `after` needs it; returns errors that name the fields. */
  restartIfNeeded(before: ServerSettings, after: ServerSettings): Promise<string[]>
  close(): Promise<void>
  /** The refused connections kept (the last 100), oldest first. */
  listRefused(): RefusedConnection[]
  clearRefused(): void
  /** Repeats the `clients` event with fresh counters while clients are connected. */
  startClientsEvents(intervalMs: number): void
  stopClientsEvents(): void
}

const REFUSED_KEPT = 100

export function serverSide(deps: ServerSideDeps): ServerSide {
  const { kept, events, capabilities } = deps
  let status: ServerStatus = { state: 'stopped', url: null }
  const refused: RefusedConnection[] = []
  let clientsTimer: NodeJS.Timeout | null = null
  let clientsPending = false
  const lastFrames = followLastFrames(events.bus)
  const rest = restApi({
    settings: () => kept.current().server,
    ports: deps.ports,
    routes: capabilities.routes,
    lastFrame: lastFrames.get,
    now: deps.now ?? Date.now,
    logFault: deps.logFault,
    version: APP_VERSION,
  })

  const clientsChanged = (): void => {
    // Many changes in one tick (a burst of connections) make one event.
    if (clientsPending) return
    clientsPending = true
    setImmediate(() => {
      clientsPending = false
      events.emit('clients', server.registry.list())
    })
  }

  const makeServer = (): BridgeServer =>
    new BridgeServer({
      settings: () => kept.current().server,
      ports: deps.ports,
      serverName: SERVER_NAME,
      extensions: [rest, ...(deps.extensions ?? [])],
      logFault: deps.logFault,
      onClientsChanged: clientsChanged,
      onClientClosed: (id) => events.busEmit('clientClosed', { id }),
      hello: () => ({ features: capabilities.features, epoch: deps.epoch() }),
      handlers: capabilities.handlers,
      resume: capabilities.resume,
      sample: capabilities.sample,
      now: deps.now,
      onRefused: (refusal) => {
        refused.push(refusal)
        if (refused.length > REFUSED_KEPT) refused.shift()
        events.emit('refused', refusal)
      },
    })
  let server = makeServer()

  const setStatus = (next: ServerStatus): ServerStatus => {
    status = next
    events.emit('server', status)
    return status
  }

  const listen = async (): Promise<ServerStatus> => {
    setStatus({ state: 'starting', url: null })
    const tls = await loadServerTls(kept.current().server.tls, {
      dataDir: deps.dataDir,
      log: deps.log,
    })
    if (!tls.ok) return setStatus({ state: 'error', url: null, error: tls.errors.join('; ') })
    try {
      const url = await server.listen(tls.value)
      const fingerprint = tls.value?.fingerprint
      return setStatus({ state: 'listening', url, ...(fingerprint ? { fingerprint } : {}) })
    } catch (error) {
      return setStatus({ state: 'error', url: null, error: (error as Error).message })
    }
  }

  /**
   * Other server settings apply to the next connection; these need a new listener. An address
   * that can't be bound (taken, not allowed) goes back to the one that worked, so a typo never
   * leaves the bridge unreachable; other new values stay where they can (`addressRollback`).
   */
  const restartIfNeeded = async (
    before: ServerSettings,
    after: ServerSettings,
  ): Promise<string[]> => {
    if (!restartNeeded(before, after) || status.state === 'stopped') return []
    await server.close()
    server = makeServer()
    const started = await listen()
    if (started.state === 'listening') return []
    const reason = started.error ?? 'unknown error'
    const moved = ADDRESS_KEYS.filter((k) => before[k] !== after[k])
    // The address did not change, so there is nothing to go back to: the status shows the error.
    if (moved.length === 0) return [`server: could not listen again (${reason})`]
    const rolledBack = addressRollback(before, kept.current())
    // In force whether or not it can be saved: the old address is the one that works.
    const unsaved = await kept.force(rolledBack)
    const saveNote = unsaved ? ` In force, but ${unsaved}: the file still has the new value.` : ''
    server = makeServer()
    const restored = await listen()
    if (restored.state !== 'listening') {
      return moved.map(
        (k) => `server.${k}: cannot listen with the new value (${reason})${saveNote}`,
      )
    }
    const others =
      rolledBack.server === before
        ? 'The other server changes were put back too: the old address needs them (its token).'
        : `Any other changes were ${unsaved ? 'kept' : 'saved'}.`
    const fields = moved.map((k) => `server.${k}`).join(' and ')
    // Also on the status, for a browser UI whose admin connection the restart cut before a reply.
    setStatus({
      ...restored,
      error: `the new ${fields} could not be used (${reason}); kept as it was`,
    })
    return moved.map(
      (k) =>
        `server.${k}: cannot listen with the new value (${reason}); kept ${before[k]}, still ` +
        `listening on ${restored.url}. ${others}${saveNote}`,
    )
  }

  return {
    current: () => server,
    status: () => status,
    listen,
    restartIfNeeded,
    async close() {
      await server.close()
      setStatus({ state: 'stopped', url: null })
    },
    listRefused: () => [...refused],
    clearRefused: () => void refused.splice(0),
    startClientsEvents(intervalMs) {
      clientsTimer = setInterval(() => {
        if (server.registry.size > 0) events.emit('clients', server.registry.list())
      }, intervalMs)
      clientsTimer.unref()
    },
    stopClientsEvents() {
      if (clientsTimer) clearInterval(clientsTimer)
      clientsTimer = null
    },
  }
}
