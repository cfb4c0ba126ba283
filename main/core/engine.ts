import type { BindingInterface } from '@serialport/bindings-interface'
import type { Engine } from '../../common/engine-api'
import type { Settings } from '../../common/settings-schema'
import { BUILT_IN_CAPABILITIES } from './capabilities'
import type { CapabilityFactory } from './capability'
import { capabilityContext, wireCapabilities } from './engine/capability-wiring'
import { engineEvents } from './engine/engine-events'
import { engineMethods } from './engine/engine-methods'
import { startEpochs } from './engine/epoch'
import { portOperations } from './engine/port-operations'
import { createPorts } from './engine/port-side'
import { serverSide } from './engine/server-side'
import { settingsChanges } from './engine/settings-changes'
import { faultLogTo, type FaultLog } from './fault-log'
import type { BridgeServer, ServerExtension } from './server/bridge-server'
import { keepSettings } from './settings/settings-keeper'

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

/**
 * Builds the engine: ports, the WebSocket server and the settings that tie them together. The
 * parts are made in the order they need each other; a part made later is reached through a
 * closure that runs only once the engine is built.
 */
export function createEngine(
  options: EngineOptions,
): Engine & { readonly server: () => BridgeServer } {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`))
  const logFault = options.logFault ?? faultLogTo(log)
  const now = options.now ?? Date.now
  const events = engineEvents(logFault)
  const epoch = startEpochs()

  const kept = keepSettings(options.settings, options.persist, (next) => {
    server.current().applyAccess()
    events.emit('settings', next)
    events.busEmit('settings', next)
  })

  const ports = createPorts({
    binding: options.binding,
    deviceListIntervalMs: options.deviceListIntervalMs,
    serverSettings: () => kept.current().server,
    events,
    later: {
      bridge: () => server.current(),
      annotate: (frame) => capabilities.annotate(frame),
      describe: (info) => capabilities.describePort(info),
      simDevices: () => capabilities.simDevices,
    },
  })

  const changes = settingsChanges({ kept, ports, server: () => server })

  const capabilities = wireCapabilities(
    [...BUILT_IN_CAPABILITIES, ...(options.capabilities ?? [])],
    capabilityContext({
      events,
      ports,
      settings: () => kept.current(),
      updateSettings: changes.updateSettings,
      now,
      epoch: epoch.current,
      log,
      recordingsDir: options.recordingsDir,
    }),
  )

  const server = serverSide({
    kept,
    ports,
    capabilities,
    events,
    epoch: epoch.current,
    extensions: options.extensions,
    now: options.now,
    dataDir: options.dataDir,
    log,
    logFault,
  })

  for (const port of kept.current().ports) ports.add(port)

  return engineMethods({
    events,
    epoch,
    kept,
    ports,
    portOperations: portOperations({ kept, ports, server, now }),
    settingsChanges: changes,
    capabilities,
    server,
    clientsIntervalMs: options.clientsIntervalMs ?? 1000,
  })
}
