import { hostname } from 'node:os'
import type { PortInfo } from '../../../common/protocol'
import type {
  Capability,
  CapabilityContext,
  CapabilityFactory,
  CapabilityOperations,
  ClientHandle,
  ControlHandlers,
  ResumeHandler,
} from '../capability'
import type { RestRoute } from '../rest/rest-route'
import type { PortManager } from '../serial/port-manager'
import type { RxFrame } from '../serial/rx-frame'
import type { SimDeviceFactory } from '../serial/sim-device'
import type { EngineEventHub } from './engine-events'

/** The engine's capabilities made, and what each offers gathered for the parts that use it. */
export interface WiredCapabilities {
  /** In start order. */
  readonly list: readonly Capability[]
  /** Added to `hello.features`. */
  readonly features: string[]
  readonly simDevices: ReadonlyMap<string, SimDeviceFactory>
  /** The engine operations they carry out, by name (a missing one: not in this engine). */
  readonly operations: Partial<CapabilityOperations>
  operation<K extends keyof CapabilityOperations>(name: K): NonNullable<CapabilityOperations[K]>
  /** Control message types they answer. */
  readonly handlers: ControlHandlers
  readonly resume?: ResumeHandler
  readonly routes: RestRoute[]
  /** The capability that offers `samples`. */
  readonly sample?: (client: ClientHandle, frame: RxFrame, intervalMs: number) => void
  /** Each frame read, before any client gets it. */
  annotate(frame: RxFrame): void
  /** A port's PortInfo with what each capability adds to it. */
  describePort(info: PortInfo): PortInfo
}

export interface ContextDeps {
  events: EngineEventHub
  ports: PortManager
  settings: CapabilityContext['settings']
  updateSettings: CapabilityContext['updateSettings']
  now: () => number
  epoch: () => string
  log: (line: string) => void
  recordingsDir?: string
}

/** What every capability is handed (capability.ts): the engine's parts, each by what it may do. */
export function capabilityContext(deps: ContextDeps): CapabilityContext {
  return {
    bus: deps.events.bus,
    ports: deps.ports,
    settings: deps.settings,
    updateSettings: deps.updateSettings,
    portChanged: (port) => deps.ports.changed(port),
    emit: (event, payload) => deps.events.emit(event, payload),
    now: deps.now,
    epoch: deps.epoch,
    log: deps.log,
    hostname,
    host: { recordingsDir: deps.recordingsDir },
  }
}

export function wireCapabilities(
  factories: readonly CapabilityFactory[],
  context: CapabilityContext,
): WiredCapabilities {
  const list = factories.map((make) => make(context))
  const operations: Partial<CapabilityOperations> = Object.assign(
    {},
    ...list.map((c) => c.operations ?? {}),
  )
  const annotators = list.flatMap((c) => (c.annotate ? [c] : []))
  const sampler = list.find((c) => c.sample)
  return {
    list,
    features: list.flatMap((c) => c.features ?? []),
    simDevices: new Map(list.flatMap((c) => [...(c.simDevices ?? [])])),
    operations,
    operation(name) {
      const found = operations[name]
      if (!found) throw new Error(`${name}: no capability of this engine provides it`)
      return found as NonNullable<CapabilityOperations[typeof name]>
    },
    handlers: Object.assign({}, ...list.map((c) => c.handlers ?? {})),
    resume: list.find((c) => c.resume)?.resume,
    routes: list.flatMap((c) => c.routes ?? []),
    sample: sampler?.sample?.bind(sampler),
    // A fault in one capability must not stop the port's frames: it is logged, the frame goes on.
    annotate(frame) {
      for (const c of annotators) {
        try {
          c.annotate!(frame)
        } catch (error) {
          context.log(`${c.name}: ${(error as Error).message}`)
        }
      }
    },
    describePort(info) {
      let described = info
      for (const c of list) {
        const extra = c.describePort?.(info.id)
        if (extra) described = { ...described, ...extra }
      }
      return described
    },
  }
}
