import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { hostname } from 'node:os'
import { autoDetect } from '@serialport/bindings-cpp'
import type { BindingInterface } from '@serialport/bindings-interface'
import type {
  Engine,
  EngineEvents,
  RefusedConnection,
  ServerStatus,
  Unsubscribe,
} from '../../common/engine-api'
import { BUILT_IN_CAPABILITIES } from './capabilities'
import type {
  Capability,
  CapabilityContext,
  CapabilityFactory,
  CapabilityOperations,
  ControlHandlers,
  EngineBus,
  EngineBusEvents,
} from './capability'
import { BridgeServer, type ServerExtension } from './server/bridge-server'
import { withSimulator, type SimDeviceFactory } from './serial/sim-device'
import { PortManager } from './serial/port-manager'
import {
  portSettingsSchema,
  type MqttSettingsInput,
  type PortSettings,
  type ServerSettings,
  type Settings,
} from '../../common/settings-schema'
import { ADDRESS_KEYS, addressRollback } from './settings/address-rollback'
import { keepSettings } from './settings/settings-keeper'
import { faultLogTo, type FaultLog } from './fault-log'
import type { PortInfo } from '../../common/protocol'
import { deviceConflict } from '../../common/port-device'
import { restartNeeded } from '../../common/restart-keys'
import {
  formatIssues,
  validatePortSettings,
  validateSettings,
  type Result,
} from '../../common/validation'
import { followLastFrames } from './rest/last-frames'
import { restApi } from './rest/rest-api'
import { loadServerTls } from './tls/server-tls'
import { APP_VERSION, SERVER_NAME } from './version'
import { portFrame, queryPort } from './port-query'
import { releasePort } from './release/release-port'
import type { RxFrame } from './serial/rx-frame'

export interface EngineOptions {
  settings: Settings
  /** The hardware binding; bindings-cpp unless a test hands in another. `sim:` paths always work. */
  binding?: BindingInterface
  /**
   * Saves the settings of an accepted change before it takes effect; when it throws, the
   * change is refused and nothing changes (settings-keeper).
   */
  persist?: (settings: Settings) => Promise<void> | void
  /** Extra routes on the same HTTP server (the web UI and its admin channel). */
  extensions?: ServerExtension[]
  deviceListIntervalMs?: number
  /** How often the `clients` event repeats with fresh counters while clients are connected. */
  clientsIntervalMs?: number
  /** Capabilities beyond the built-in ones (see capabilities.ts), e.g. a test's. */
  capabilities?: CapabilityFactory[]
  /** Epoch ms; timed client rules are read against it. */
  now?: () => number
  /** The app's data folder (the host's): `server.tls: "auto"` keeps its certificate there. */
  dataDir?: string
  /** Where the engine's own log lines go (headless mode's log file); stderr by default. */
  log?: (line: string) => void
  /** Where a fault of ours caught at a handler's boundary is reported; stderr by default. */
  logFault?: FaultLog
  /**
   * Where recordings go when `recording.dir` is null (a relative `dir` is taken from this
   * folder's parent). The host knows: Documents/Serial Bridge/recordings in the desktop app,
   * ./recordings beside the config file in headless mode.
   */
  recordingsDir?: string
}

const REFUSED_KEPT = 100

const result = <T>(value: T): Result<T> => ({ ok: true, value })
const failure = (error: string): { ok: false; errors: string[] } => ({
  ok: false,
  errors: [error],
})

/** Builds the engine: ports, the WebSocket server and the settings that tie them together. */
export function createEngine(
  options: EngineOptions,
): Engine & { readonly server: () => BridgeServer } {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(100)
  const emit = <K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]): boolean =>
    emitter.emit(event, payload)
  // What capabilities follow; separate from the hosts' events so neither can starve the other.
  const busEmitter = new EventEmitter()
  busEmitter.setMaxListeners(100)
  const bus: EngineBus = {
    on(event, listener) {
      busEmitter.on(event, listener)
      return () => void busEmitter.off(event, listener)
    },
  }
  const busEmit = <K extends keyof EngineBusEvents>(event: K, payload: EngineBusEvents[K]): void =>
    void busEmitter.emit(event, payload)
  // A new epoch each start: `seq` numbers continue only within one (protocol `hello.epoch`).
  let epoch = newEpoch()

  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`))
  const logFault = options.logFault ?? faultLogTo(log)
  const kept = keepSettings(options.settings, options.persist, (next) => {
    server.applyAccess()
    emit('settings', next)
    busEmit('settings', next)
  })
  let status: ServerStatus = { state: 'stopped', url: null }
  const refused: RefusedConnection[] = []
  let clientsTimer: NodeJS.Timeout | null = null
  let clientsPending = false

  // Simulated devices of capabilities (sim:replay) are looked up when a port opens.
  let simDevices: ReadonlyMap<string, SimDeviceFactory> = new Map()
  const binding = withSimulator(options.binding ?? autoDetect(), {}, () => simDevices)
  const ports = new PortManager(
    {
      binding,
      deviceListIntervalMs: options.deviceListIntervalMs,
      describe: (info) => describePort(info),
      limits: () => ({
        maxQueuedQueries: kept.current().server.maxQueuedQueriesPerPort,
        maxQueuedWriteBytes: kept.current().server.maxQueuedWriteBytesPerPort,
        writeTimeoutMs: kept.current().server.writeTimeoutMs,
      }),
    },
    {
      status: (info) => {
        server.portStatus(info)
        emit('port', { port: info })
        busEmit('status', info)
      },
      removed: (info) => {
        server.portsChanged(info.id)
        emit('port', { port: info, removed: true })
        busEmit('removed', info)
      },
      rx: (frame) => {
        annotate(frame)
        server.broadcast(frame)
        if (emitter.listenerCount('frame') > 0) emit('frame', portFrame(frame))
        busEmit('rx', frame)
      },
      tx: (port, bytes, ts) => {
        if (emitter.listenerCount('frame') > 0) emit('frame', { port, direction: 'tx', bytes, ts })
        busEmit('tx', { port, bytes, ts })
      },
      devices: (change) => emit('devices', change),
    },
  )

  const capabilityContext: CapabilityContext = {
    bus,
    ports,
    settings: () => kept.current(),
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
    portChanged: (port) => ports.changed(port),
    emit: (event, payload) => void emit(event, payload),
    now: options.now ?? Date.now,
    epoch: () => epoch,
    log,
    hostname,
    host: { recordingsDir: options.recordingsDir },
  }
  const capabilities: Capability[] = [
    ...BUILT_IN_CAPABILITIES,
    ...(options.capabilities ?? []),
  ].map((make) => make(capabilityContext))
  const features = capabilities.flatMap((c) => c.features ?? [])
  simDevices = new Map(capabilities.flatMap((c) => [...(c.simDevices ?? [])]))
  const capabilityOps: Partial<CapabilityOperations> = Object.assign(
    {},
    ...capabilities.map((c) => c.operations ?? {}),
  )
  const operation = <K extends keyof CapabilityOperations>(
    name: K,
  ): NonNullable<CapabilityOperations[K]> => {
    const found = capabilityOps[name]
    if (!found) throw new Error(`${name}: no capability of this engine provides it`)
    return found as NonNullable<CapabilityOperations[K]>
  }
  const unavailable = (what: string) => failure(`${what} is not available in this engine`)
  const handlers: ControlHandlers = Object.assign({}, ...capabilities.map((c) => c.handlers ?? {}))
  const resume = capabilities.find((c) => c.resume)?.resume
  const lastFrames = followLastFrames(bus)
  const rest = restApi({
    settings: () => kept.current().server,
    ports,
    routes: capabilities.flatMap((c) => c.routes ?? []),
    lastFrame: lastFrames.get,
    now: options.now ?? Date.now,
    logFault,
    version: APP_VERSION,
  })
  const annotators = capabilities.flatMap((c) => (c.annotate ? [c] : []))
  // A fault in one capability must not stop the port's frames: it is logged, the frame goes on.
  const annotate = (frame: RxFrame): void => {
    for (const c of annotators) {
      try {
        c.annotate!(frame)
      } catch (error) {
        capabilityContext.log(`${c.name}: ${(error as Error).message}`)
      }
    }
  }
  const sampler = capabilities.find((c) => c.sample)
  function describePort(info: PortInfo): PortInfo {
    let described = info
    for (const c of capabilities) {
      const extra = c.describePort?.(info.id)
      if (extra) described = { ...described, ...extra }
    }
    return described
  }

  const clientsChanged = (): void => {
    // Many changes in one tick (a burst of connections) make one event.
    if (clientsPending) return
    clientsPending = true
    setImmediate(() => {
      clientsPending = false
      emit('clients', server.registry.list())
    })
  }

  const makeServer = (): BridgeServer =>
    new BridgeServer({
      settings: () => kept.current().server,
      ports,
      serverName: SERVER_NAME,
      extensions: [rest, ...(options.extensions ?? [])],
      logFault,
      onClientsChanged: clientsChanged,
      onClientClosed: (id) => busEmit('clientClosed', { id }),
      hello: () => ({ features, epoch }),
      handlers,
      resume,
      sample: sampler?.sample?.bind(sampler),
      now: options.now,
      onRefused: (refusal) => {
        refused.push(refusal)
        if (refused.length > REFUSED_KEPT) refused.shift()
        emit('refused', refusal)
      },
    })
  let server = makeServer()

  for (const port of kept.current().ports) ports.add(port)

  const setStatus = (next: ServerStatus): ServerStatus => {
    status = next
    emit('server', status)
    return status
  }

  const listen = async (): Promise<ServerStatus> => {
    setStatus({ state: 'starting', url: null })
    const tls = await loadServerTls(kept.current().server.tls, { dataDir: options.dataDir, log })
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
   * Returns the errors, which name the address fields.
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

  const portsInSettings = (): PortSettings[] => ports.ports().map((p) => p.settings)

  const engine: Engine & { readonly server: () => BridgeServer } = {
    server: () => server,

    async start() {
      epoch = newEpoch()
      const started = await listen()
      for (const c of capabilities) await c.start?.()
      if (started.state === 'listening') ports.openAutoPorts()
      clientsTimer = setInterval(() => {
        if (server.registry.size > 0) emit('clients', server.registry.list())
      }, options.clientsIntervalMs ?? 1000)
      clientsTimer.unref()
      return started
    },

    async stop() {
      if (clientsTimer) clearInterval(clientsTimer)
      clientsTimer = null
      for (const c of [...capabilities].reverse()) await c.stop?.()
      await ports.stop()
      await server.close()
      setStatus({ state: 'stopped', url: null })
    },

    getServerStatus: () => status,
    getSettings: () => kept.current(),

    async updateServerSettings(input: Partial<ServerSettings>) {
      const checked = validateSettings({
        ...kept.current(),
        server: { ...kept.current().server, ...input },
        ports: portsInSettings(),
      })
      if (!checked.ok) return checked
      const before = kept.current().server
      const saved = await kept.commit(checked.value)
      if (!saved.ok) return saved
      const errors = await restartIfNeeded(before, checked.value.server)
      return errors.length > 0 ? { ok: false, errors } : checked
    },

    async updateMqttSettings(input: Partial<MqttSettingsInput>) {
      const checked = validateSettings({
        ...kept.current(),
        mqtt: { ...kept.current().mqtt, ...input },
        ports: portsInSettings(),
      })
      if (!checked.ok) return checked
      const saved = await kept.commit(checked.value)
      return saved.ok ? checked : saved
    },
    getMqttStatus: () => operation('getMqttStatus')(),
    testMqtt: (input) => operation('testMqtt')(input),

    async importSettings(input) {
      const checked = validateSettings(input)
      if (!checked.ok) return checked
      const before = kept.current().server
      const saved = await kept.commit(checked.value, async () => {
        for (const info of ports.ports()) await ports.remove(info.id)
      })
      if (!saved.ok) return saved
      await restartIfNeeded(before, checked.value.server)
      for (const port of checked.value.ports) ports.add(port)
      if (status.state === 'listening') ports.openAutoPorts()
      // Imported, even when the file's address could not be used and the old one was kept: the
      // server status says so, and the value shows the address in effect.
      return { ok: true, value: kept.current() }
    },

    listPorts: () => ports.ports(),

    async addPort(input) {
      const checked = validatePortSettings(input)
      if (!checked.ok) return checked
      if (ports.has(checked.value.id)) {
        return { ok: false, errors: [`id: a port with id "${checked.value.id}" already exists`] }
      }
      const clash = deviceConflict(checked.value, portsInSettings())
      if (clash) return failure(`${clash.field}: ${clash.message}`)
      const next = { ...kept.current(), ports: [...portsInSettings(), checked.value] }
      const saved = await kept.commit(next, () => {
        ports.add(checked.value)
        server.portsChanged()
      })
      if (!saved.ok) return saved
      const controller = ports.get(checked.value.id)!
      if (checked.value.autoOpen && status.state === 'listening') void controller.open()
      return { ok: true, value: controller.info() }
    },

    async updatePort(id, input) {
      if (!ports.has(id)) return { ok: false, errors: [`no port with id "${id}"`] }
      const parsed = portSettingsSchema.safeParse(input)
      if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error) }
      if (parsed.data.id !== id && ports.has(parsed.data.id)) {
        return { ok: false, errors: [`id: a port with id "${parsed.data.id}" already exists`] }
      }
      const clash = deviceConflict(parsed.data, portsInSettings(), id)
      if (clash) return failure(`${clash.field}: ${clash.message}`)
      const renamed = parsed.data.id !== id
      const others = portsInSettings().filter((p) => p.id !== id)
      // The order the port manager keeps: a renamed port is added again, at the end.
      const list = renamed
        ? [...others, parsed.data]
        : portsInSettings().map((p) => (p.id === id ? parsed.data : p))
      const saved = await kept.commit({ ...kept.current(), ports: list }, async () => {
        await ports.update(id, parsed.data)
        if (renamed) server.portsChanged()
      })
      if (!saved.ok) return saved
      return { ok: true, value: ports.info(ports.get(parsed.data.id)!) }
    },

    async removePort(id) {
      if (!ports.has(id)) return failure(`no port with id "${id}"`)
      const next = { ...kept.current(), ports: portsInSettings().filter((p) => p.id !== id) }
      return kept.commit(next, () => ports.remove(id))
    },

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
        await releasePort(controller, seconds, capabilityContext.now())
      } catch (error) {
        return failure((error as Error).message)
      }
      return result(ports.info(controller))
    },

    listDevices: () => ports.listDevices(),

    listClients: () => server.registry.list(),
    disconnectClient: (id) =>
      server.kick(id) ? result(undefined) : failure(`no client with id "${id}"`),
    setClientReadOnly: (id, readOnly) => server.setReadOnly(id, readOnly),
    listRefused: () => [...refused],
    clearRefused: () => void refused.splice(0),

    setRecording: async (port, enabled) =>
      (await capabilityOps.setRecording?.(port, enabled)) ?? unavailable('recording'),
    listRecordings: async () =>
      (await capabilityOps.listRecordings?.()) ?? unavailable('recording'),
    deleteRecording: async (file) =>
      (await capabilityOps.deleteRecording?.(file)) ?? unavailable('recording'),
    exportRecordingCsv: async (file) =>
      (await capabilityOps.exportRecordingCsv?.(file)) ?? unavailable('recording'),
    recordingsFolder: async (port) =>
      (await capabilityOps.recordingsFolder?.(port)) ?? unavailable('recording'),
    recordingFilePath: (file) =>
      capabilityOps.recordingFilePath?.(file) ?? unavailable('recording'),

    on(event, listener): Unsubscribe {
      // Events fire inside a port's read or a client's request: a listener's fault stays here.
      const guarded = (payload: Parameters<typeof listener>[0]): void => {
        try {
          listener(payload)
        } catch (error) {
          logFault(`a "${event}" listener`, error)
        }
      }
      emitter.on(event, guarded)
      if (event === 'devices') ports.setDevicePolling(true)
      return () => {
        emitter.off(event, guarded)
        if (event === 'devices') ports.setDevicePolling(emitter.listenerCount('devices') > 0)
      }
    },
  }
  return engine
}

/** Unique per start, short, and sortable by time: `m3k2x9-4f1a`. */
function newEpoch(): string {
  return `${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`
}
