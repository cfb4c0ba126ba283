import type { PortInfo, ServerMessage } from '../../common/protocol'
import type { ClientMessage } from '../../common/protocol'
import type { Settings } from '../../common/settings-schema'
import type { Result } from '../../common/validation'
import type {
  Engine,
  EngineEvents,
  RecordingOperations,
  Unsubscribe,
} from '../../common/engine-api'
import type { PortManager } from './serial/port-manager'
import type { RestRoute } from './rest/rest-route'
import type { RxFrame } from './serial/rx-frame'
import type { SimDeviceFactory } from './serial/sim-device'

/**
 * A capability of the engine (polls and numbers, recording, MQTT, ...): a folder of small
 * modules behind this interface, wired by the engine's table of capabilities, so a feature is
 * a folder and not more lines in the server. Everything is optional but `name`.
 */
export interface Capability {
  readonly name: string
  /** Protocol features it adds to `hello.features` (docs/protocol.md names them). */
  readonly features?: readonly string[]
  /** The server is listening and ports are opening. */
  start?(): void | Promise<void>
  /** The engine is stopping: stop timers, flush files, close connections. */
  stop?(): void | Promise<void>
  /** What it adds to a port's PortInfo (e.g. its polls, its recording). */
  describePort?(port: string): Partial<PortInfo>
  /**
   * Each frame read, in order, before it goes to any client: the one place a capability may add
   * to a frame (`values`, `units`). Must be quick; it runs on every frame of every port.
   */
  annotate?(frame: RxFrame): void
  /**
   * A frame for a client that takes its port as `samples` batches instead of `data` (feature
   * `samples`): the capability that offers `samples` collects and sends them.
   */
  sample?(client: ClientHandle, frame: RxFrame, intervalMs: number): void
  /** Control messages it answers, by type (the message has already been validated). */
  readonly handlers?: ControlHandlers
  /**
   * Answers a resume (feature `resume`: `subscribe` with `since`, or a JSON port stream with
   * `?since=`). Called right after the client was subscribed, before any live frame can reach
   * it; it must call `goLive` for each port once that port has caught up.
   */
  readonly resume?: ResumeHandler
  /** Routes it adds to the REST API under /api/v1 (main/core/rest/rest-route.ts). */
  readonly routes?: readonly RestRoute[]
  /** Engine operations it carries out for the hosts (the engine forwards each call). */
  readonly operations?: Partial<CapabilityOperations>
  /** Simulated devices it provides, by `sim:` path (e.g. `sim:replay`). */
  readonly simDevices?: ReadonlyMap<string, SimDeviceFactory>
}

/** The engine's operations that belong to a capability (common/engine-api.ts declares them). */
export type CapabilityOperations = Pick<Engine, 'getMqttStatus' | 'testMqtt'> & RecordingOperations

/** Engine events a capability raises itself (its own engine-wide state, for the hosts). */
export type CapabilityEvents = Pick<EngineEvents, 'mqtt'>

export type ControlHandlers = {
  [K in ClientMessage['type']]?: (
    message: Extract<ClientMessage, { type: K }>,
    client: ClientHandle,
  ) => Promise<ServerMessage | undefined> | ServerMessage | undefined
}

/** The part of a connected client a capability may use. */
export interface ClientHandle {
  readonly id: string
  readonly readOnly: boolean
  /** A reply or notice: never dropped (see Client.sendMessage). */
  send(message: ServerMessage): void
  /** A message carrying port data: dropped, and counted in `lagged`, while the client lags. */
  sendData(port: string, message: ServerMessage): boolean
}

/** A resume request, checked: per port the last seq the client has, and its epoch. */
export interface ResumeRequest {
  since: Record<string, number>
  epoch: string
}

export type ResumeHandler = (client: ReplayTarget, request: ResumeRequest) => void

/**
 * A client being resumed. Live frames of a port in `since` wait (they go to the ring) until
 * `goLive(port)`: the replay sends them from the ring instead, so none is sent twice or missed.
 */
export interface ReplayTarget {
  readonly id: string
  /** Still connected and still subscribed to the port. */
  receives(port: string): boolean
  /** Live frames of the port wait from now on, until `goLive(port)`. */
  hold(port: string): void
  /** Bytes queued to it and not yet sent, and how many it may have before frames are dropped. */
  readonly bufferedAmount: number
  readonly bufferLimit: number
  /** A `data` message, under the slow-client rules (dropped past the limit, then `lagged`). */
  sendFrame(frame: RxFrame): boolean
  /** A notice (`gap`): never dropped. */
  send(message: ServerMessage): void
  /** The replay of this port reached the newest frame: live frames flow to it again. */
  goLive(port: string): void
  /** Closes it (1013 when it cannot take even the replay). */
  close(code: number, reason: string): void
}

/** What happens in the engine, for capabilities to follow. */
export interface EngineBusEvents {
  /** A frame read from a port, after it went to the WebSocket clients. */
  rx: RxFrame
  /** Bytes written to a port. */
  tx: { port: string; bytes: Buffer; ts: number }
  /** A port was added, changed state or changed settings. */
  status: PortInfo
  removed: PortInfo
  settings: Settings
  /** A WebSocket client left: what it started must stop. */
  clientClosed: { id: string }
}

export interface EngineBus {
  on<K extends keyof EngineBusEvents>(
    event: K,
    listener: (payload: EngineBusEvents[K]) => void,
  ): Unsubscribe
}

/** What the engine hands a capability when it makes one. */
export interface CapabilityContext {
  readonly bus: EngineBus
  readonly ports: PortManager
  settings(): Settings
  /** Changes the settings the way the UI does: validated, persisted, told to everyone. */
  updateSettings(change: (current: Settings) => unknown): Promise<Result<Settings>>
  /** The port's status changed in a way only the capability knows (tell subscribers). */
  portChanged(port: string): void
  /** Tells the hosts (UI, tray, headless) about the capability's own state. */
  emit<K extends keyof CapabilityEvents>(event: K, payload: CapabilityEvents[K]): void
  now(): number
  /** The server's epoch (`hello.epoch`): new on every start of the engine. */
  epoch(): string
  log(line: string): void
  /** The machine's host name (MQTT's default client id and topic prefix come from it). */
  hostname(): string
  /** Where the host wants files to go by default (it knows; the engine does not guess). */
  readonly host: { readonly recordingsDir?: string }
}

export type CapabilityFactory = (ctx: CapabilityContext) => Capability
