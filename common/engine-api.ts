import type { PortInfo, PortState } from './protocol'
import type { PortSettingsInput, ServerSettings, Settings, SettingsInput } from './settings-schema'
import type { Result } from './validation'

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

/** One recording file (docs/recording.md). */
export interface RecordingFile {
  port: string
  /** Relative to the recordings folder, with `/`: `meter/2026-11-23T09-15-02Z.jsonl`. */
  file: string
  /** ISO-8601: its first and last record. */
  start: string
  end: string
  bytes: number
  frames: number
  /** Being written now. */
  recording: boolean
}

export interface RecordingList {
  /** The recordings folder, absolute. */
  dir: string
  files: RecordingFile[]
}

/** What the recording capability adds to the engine (main/core/recording). */
export interface RecordingOperations {
  /** Sets the port's `record.enabled` (saved with the settings); the port is not reopened. */
  setRecording(port: string, enabled: boolean): Promise<Result<PortInfo>>
  listRecordings(): Promise<Result<RecordingList>>
  /** Deletes a recording (or its CSV export) that is not being written. */
  deleteRecording(file: string): Promise<Result>
  /** Writes `FILE.csv` beside the recording, streaming; returns its name. */
  exportRecordingCsv(file: string): Promise<Result<{ file: string; rows: number }>>
  /** The absolute path of the recordings folder (made if missing), or of a port's folder in it. */
  recordingsFolder(port: string | null): Promise<Result<string>>
  /** The absolute path of a recording or CSV export, checked to be inside the folder. */
  recordingFilePath(file: string): Result<string>
}

export interface Engine extends RecordingOperations {
  start(): Promise<ServerStatus>
  stop(): Promise<void>
  getServerStatus(): ServerStatus

  getSettings(): Settings
  /** Replaces the server section; restarts the listener when the address changed. */
  updateServerSettings(input: Partial<ServerSettings>): Promise<Result<Settings>>
  /** Replaces everything (import of a settings file). */
  importSettings(input: SettingsInput): Promise<Result<Settings>>

  listPorts(): PortInfo[]
  addPort(input: PortSettingsInput): Promise<Result<PortInfo>>
  updatePort(id: string, input: PortSettingsInput): Promise<Result<PortInfo>>
  removePort(id: string): Promise<Result>
  openPort(id: string): Promise<Result<PortInfo>>
  closePort(id: string): Promise<Result<PortInfo>>
  openAllPorts(): Promise<void>
  closeAllPorts(): Promise<void>
  /** Writes bytes as they are: the caller has already applied terminators. */
  writePort(id: string, bytes: Uint8Array): Promise<Result<{ bytes: number }>>
  listDevices(): Promise<DeviceListResult>

  listClients(): ClientInfo[]
  disconnectClient(id: string): Result
  setClientReadOnly(id: string, readOnly: boolean): Result
  listRefused(): RefusedConnection[]

  on<K extends keyof EngineEvents>(
    event: K,
    listener: (payload: EngineEvents[K]) => void,
  ): Unsubscribe
}

export type { PortInfo, PortState }
