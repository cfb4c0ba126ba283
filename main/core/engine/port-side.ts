import { autoDetect } from '@serialport/bindings-cpp'
import type { BindingInterface } from '@serialport/bindings-interface'
import type { PortInfo } from '../../../common/protocol'
import type { ServerSettings } from '../../../common/settings-schema'
import { portFrame } from '../port-query'
import type { BridgeServer } from '../server/bridge-server'
import { keepPollWakeups } from '../serial/poll-wakeups'
import { PortManager } from '../serial/port-manager'
import type { RxFrame } from '../serial/rx-frame'
import { withSimulator, type SimDeviceFactory } from '../serial/sim-device'
import type { EngineEventHub } from './engine-events'

export interface PortSideDeps {
  /** The hardware binding; bindings-cpp unless a test hands in another. `sim:` paths always work. */
  binding?: BindingInterface
  deviceListIntervalMs?: number
  /** The server section: its bounds on what may wait for one port. */
  serverSettings: () => ServerSettings
  events: EngineEventHub
  /**
   * The parts made after the ports, because they need them: the capabilities and the server
   * (replaced on a restart). Reached only once a port speaks.
   */
  later: {
    bridge(): BridgeServer
    annotate(frame: RxFrame): void
    describe(info: PortInfo): PortInfo
    /** Simulated devices of capabilities (sim:replay), looked up when a port opens. */
    simDevices(): ReadonlyMap<string, SimDeviceFactory>
  }
}

/**
 * The ports and where their news goes: each frame is annotated by the capabilities, sent to
 * the WebSocket clients, then told to the hosts and to the bus; a status change likewise.
 */
export function createPorts({ events, later, ...deps }: PortSideDeps): PortManager {
  const binding = withSimulator(keepPollWakeups(deps.binding ?? autoDetect()), {}, () =>
    later.simDevices(),
  )
  return new PortManager(
    {
      binding,
      deviceListIntervalMs: deps.deviceListIntervalMs,
      describe: (info) => later.describe(info),
      limits: () => ({
        maxQueuedQueries: deps.serverSettings().maxQueuedQueriesPerPort,
        maxQueuedWriteBytes: deps.serverSettings().maxQueuedWriteBytesPerPort,
        writeTimeoutMs: deps.serverSettings().writeTimeoutMs,
      }),
    },
    {
      status: (info) => {
        later.bridge().portStatus(info)
        events.emit('port', { port: info })
        events.busEmit('status', info)
      },
      removed: (info) => {
        later.bridge().portsChanged(info.id)
        events.emit('port', { port: info, removed: true })
        events.busEmit('removed', info)
      },
      rx: (frame) => {
        later.annotate(frame)
        later.bridge().broadcast(frame)
        if (events.listenerCount('frame') > 0) events.emit('frame', portFrame(frame))
        events.busEmit('rx', frame)
      },
      tx: (port, bytes, ts) => {
        if (events.listenerCount('frame') > 0) {
          events.emit('frame', { port, direction: 'tx', bytes, ts })
        }
        events.busEmit('tx', { port, bytes, ts })
      },
      devices: (change) => events.emit('devices', change),
    },
  )
}
