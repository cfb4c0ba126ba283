import type { PortInfo, PortState } from './protocol'
import type {
  MqttSettingsInput,
  PortSettingsInput,
  ServerSettings,
  Settings,
  SettingsInput,
} from './settings-schema'
import type { Result } from './validation'

/**
 * What the engine offers its hosts: headless mode, the Electron shell and the web admin
 * channel all drive Serial Bridge through this interface and nothing else.
 */

/** Why a client's writes are refused: its read-only token, a rule, or the operator's tick. */
export type ReadOnlySource = 'token' | 'rule' | 'operator'

export interface ClientInfo {
  id: string
  /** The name the tool gave itself with `?client=`, or null. */
  name: string | null
  /** The name of the `server.tokens` entry it presented; null for `server.token` or none. */
  tokenName: string | null
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
  /** Every reason it is read-only, in this order; empty when it may write. */
  readOnlyBy: ReadOnlySource[]
}

export type RefusalReason =
  | 'host'
  | 'origin'
  | 'token'
  | 'capacity'
  | 'not-found'
  /** `?client=` is not a valid name (400). */
  | 'client-name'
  /** A `block` rule of the operator matches the client (403). */
  | 'blocked'
  /** The request line could not be read (400). */
  | 'bad-request'

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
  /** A poll's reply: the poll's name. */
  poll?: string
  /** The numbers parsed from the frame with the port's `parse` setting, and their units. */
  values?: Record<string, number>
  units?: Record<string, string>
}

/** How `queryPort` picks the reply (the protocol's `query` fields). */
export interface QueryOptions {
  timeoutMs: number
  /** RE2 pattern the reply's first frame must match; other frames flow on as data. */
  expect?: string
  /** Frames that make the reply. */
  expectLines?: number
}

export interface PortReply {
  /** The reply's frames in order: one, or `expectLines`. */
  frames: PortFrame[]
  /** From the command's turn on the port (its write) to the reply's last frame. */
  ms: number
}

export interface ServerStatus {
  state: 'stopped' | 'starting' | 'listening' | 'error'
  url: string | null
  error?: string
  /** With TLS: the certificate's SHA-256 fingerprint, `AB:CD:…` (32 pairs), for clients to pin. */
  fingerprint?: string
}

/** The MQTT uplink (docs/mqtt.md): `off` unless `mqtt.enabled`. */
export interface MqttStatus {
  state: 'off' | 'connecting' | 'connected' | 'error'
  /** In words: "wrong user name or password", "broker not reachable", "certificate not trusted", … */
  error?: string
  url: string | null
  /** The client id and topic prefix in effect (the host name's defaults when the settings say null). */
  clientId: string
  topicPrefix: string
  /** Whether `ports/{id}/write` and `/query` are subscribed. */
  commands: boolean
  /** Why commands are off although `mqtt.commands` asks for them. */
  commandsRefused?: string
  /** Messages handed to the broker, dropped from the full queue, waiting, and commands run. */
  published: number
  dropped: number
  queued: number
  commandsHandled: number
  /** Commands refused by a `server.clientRules` rule for the name `mqtt`: nothing was written. */
  commandsForbidden: number
}

/** The answer of the Test button: connected and published one message, or what went wrong. */
export interface MqttTestResult {
  ok: boolean
  message: string
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
  mqtt: MqttStatus
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
  /** Changes the `mqtt` section; the uplink reconnects with it. */
  updateMqttSettings(input: Partial<MqttSettingsInput>): Promise<Result<Settings>>
  getMqttStatus(): MqttStatus
  /** Connects with these settings over the saved ones (`{}`: as saved), publishes one message, says what happened. */
  testMqtt(input: Partial<MqttSettingsInput>): Promise<MqttTestResult>
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
  /** Writes a command (bytes as they are) through the port's query queue and waits for its reply. */
  queryPort(id: string, bytes: Uint8Array, options: QueryOptions): Promise<Result<PortReply>>
  /**
   * Closes the port so another program can use the device (state `released`); it opens again
   * by itself after `seconds`, or (null) when opened. An open ends a release.
   */
  releasePort(id: string, seconds: number | null): Promise<Result<PortInfo>>
  listDevices(): Promise<DeviceListResult>

  listClients(): ClientInfo[]
  disconnectClient(id: string): Result
  setClientReadOnly(id: string, readOnly: boolean): Result
  listRefused(): RefusedConnection[]
  /** Forgets the refused attempts kept so far (the Clients view's Clear). */
  clearRefused(): void

  on<K extends keyof EngineEvents>(
    event: K,
    listener: (payload: EngineEvents[K]) => void,
  ): Unsubscribe
}

export type { PortInfo, PortState }
