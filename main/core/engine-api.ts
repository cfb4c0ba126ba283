import type { PortInfo, PortState } from './protocol/protocol'
import type {
  PortSettingsInput,
  ServerSettings,
  Settings,
  SettingsInput,
} from './settings/settings-schema'
import type { Validation } from './settings/validate-settings'

/**
 * What the engine offers its hosts: headless mode, the Electron shell and the web admin
 * channel all drive Serial Bridge through this interface and nothing else.
 */

export interface ClientInfo {
  id: string
  remoteAddress: string
  origin: string | null
  userAgent: string | null
  /** `/ws` or `/ports/{id}`. */
  endpoint: string
  /** Port ids this client receives data from. */
  subscriptions: string[]
  connectedSince: string
  framesIn: number
  framesOut: number
  bytesIn: number
  bytesOut: number
  dropped: number
  readOnly: boolean
}

export type RefusalReason = 'host' | 'origin' | 'token' | 'capacity' | 'not-found'

export interface RefusedConnection {
  at: string
  remoteAddress: string
  origin: string | null
  host: string | null
  endpoint: string
  reason: RefusalReason
  status: number
  message: string
}

export interface DeviceInfo {
  path: string
  manufacturer?: string
  serialNumber?: string
  vendorId?: string
  productId?: string
  friendlyName?: string
}

/** A failing list is a result, not an exception: the app keeps going and hand-typed paths still work. */
export type DeviceListResult =
  { ok: true; devices: DeviceInfo[] } | { ok: false; error: string; devices: DeviceInfo[] }

export interface DeviceChange {
  added: DeviceInfo[]
  removed: DeviceInfo[]
  devices: DeviceInfo[]
}

export interface PortFrame {
  port: string
  direction: 'rx' | 'tx'
  bytes: Uint8Array
  /** Epoch milliseconds. */
  ts: number
}

export interface ServerStatus {
  state: 'stopped' | 'starting' | 'listening' | 'error'
  url: string | null
  error?: string
}

export type OperationResult<T = undefined> = { ok: true; value: T } | { ok: false; error: string }

export interface EngineEvents {
  /** A port's state or settings changed, or it was added or removed (`removed: true`). */
  port: { port: PortInfo; removed?: boolean }
  /** Frames read from (rx) or written to (tx) a port. Hosts batch these for display. */
  frame: PortFrame
  clients: ClientInfo[]
  refused: RefusedConnection
  devices: DeviceChange
  server: ServerStatus
  settings: Settings
}

export type Unsubscribe = () => void

export interface Engine {
  start(): Promise<ServerStatus>
  stop(): Promise<void>
  serverStatus(): ServerStatus

  settings(): Settings
  /** Replaces the server section; restarts the listener when the address changed. */
  updateServer(input: Partial<ServerSettings>): Promise<Validation<Settings>>
  /** Replaces everything (import of a settings file). */
  replaceSettings(input: SettingsInput): Promise<Validation<Settings>>

  ports(): PortInfo[]
  addPort(input: PortSettingsInput): Promise<Validation<PortInfo>>
  updatePort(id: string, input: PortSettingsInput): Promise<Validation<PortInfo>>
  removePort(id: string): Promise<OperationResult>
  openPort(id: string): Promise<OperationResult<PortInfo>>
  closePort(id: string): Promise<OperationResult<PortInfo>>
  openAll(): Promise<void>
  closeAll(): Promise<void>
  /** Writes bytes as they are: the caller has already applied terminators. */
  writePort(id: string, bytes: Uint8Array): Promise<OperationResult<{ bytes: number }>>
  listDevices(): Promise<DeviceListResult>

  clients(): ClientInfo[]
  kickClient(id: string): OperationResult
  setClientReadOnly(id: string, readOnly: boolean): OperationResult
  refused(): RefusedConnection[]

  on<K extends keyof EngineEvents>(
    event: K,
    listener: (payload: EngineEvents[K]) => void,
  ): Unsubscribe
}

export type { PortInfo, PortState }
