import type {
  ClientInfo,
  DeviceChange,
  Engine,
  MqttStatus,
  PortInfo,
  RefusedConnection,
  ServerStatus,
} from './engine-api'
import type { ClientRuleAction, ClientRuleMatch, Settings } from './settings-schema'
import type { Result } from './validation'

/**
 * The one contract between the UI and whatever hosts the engine: the Electron main process
 * (over IPC, through the preload) or headless mode's admin channel (over a WebSocket).
 * Channel names are written here once; main, preload and the web bridge all import them.
 */

/** Which `updateServerSettings` changes restart the server and drop every client: the UI warns. */
export { restartNeeded } from './restart-keys'

/** A command typed in the UI's send box. */
export interface SendRequest {
  port: string
  data: string
  /** `text`: encoded with the port's encoding; `hex`: pairs of hex digits, spaces allowed. */
  format: 'text' | 'hex'
  /** Appended to text unless already at its end; ignored for hex. */
  terminator: string
}

/** A question asked from the UI (a poll's "Try it"): sent like `SendRequest`, answered by the port. */
export interface QueryRequest extends SendRequest {
  /** 1 to 60000 ms. */
  timeoutMs: number
  /** RE2 pattern the reply's first frame must match; other frames flow on as data. */
  expect?: string
  /** Frames that make the reply (1 by default). */
  expectLines?: number
}

/** The reply to `queryPort`, ready to show. */
export interface QueryReply {
  /** Each frame of the reply, decoded in the port's encoding. */
  lines: string[]
  /** The same frames as hex pairs, e.g. "56 3d 31 0d". */
  hex: string[]
  /** Each frame's numbers, parsed with the port's `parse` setting; null where none parsed. */
  values: Array<Record<string, number> | null>
  /** From the command's turn on the port to the reply's last frame. */
  ms: number
}

/** A client rule as the UI asks for it; the host turns `seconds` into `until` with its clock. */
export interface ClientRuleRequest {
  match: ClientRuleMatch
  action: ClientRuleAction
  /** How long it applies; null: until removed. */
  seconds: number | null
}

/** Settings that belong to the desktop shell only (ignored in browser mode). */
export interface AppPreferences {
  startAtLogin: boolean
  startMinimized: boolean
  closeToTray: boolean
}

/** One frame as the UI shows it. `data` is raw bytes; the view decodes text or hex itself. */
export interface StreamFrame {
  port: string
  direction: 'rx' | 'tx'
  ts: number
  data: Uint8Array
  /** A poll's reply: the poll's name. */
  poll?: string
  /** The frame's numbers (the port's `parse` setting), parsed once by the engine: plot them as they are. */
  values?: Record<string, number>
  units?: Record<string, string>
}

/** Frames are delivered in batches (at most ~60 a second), never one message per line. */
export interface FrameBatch {
  frames: StreamFrame[]
  /** Frames dropped by the host because the UI fell behind. */
  dropped: number
}

export interface Notice {
  level: 'info' | 'warning' | 'error'
  message: string
}

/** Engine operations the UI calls as they are: the same names, their results promised. */
type EngineOperationName =
  | 'getServerStatus'
  | 'getSettings'
  | 'updateServerSettings'
  | 'updateMqttSettings'
  | 'getMqttStatus'
  | 'testMqtt'
  | 'importSettings'
  | 'listPorts'
  | 'addPort'
  | 'updatePort'
  | 'removePort'
  | 'openPort'
  | 'closePort'
  | 'openAllPorts'
  | 'closeAllPorts'
  | 'releasePort'
  | 'listDevices'
  | 'listClients'
  | 'disconnectClient'
  | 'setClientReadOnly'
  | 'listRefused'
  | 'clearRefused'
  | 'setRecording'
  | 'listRecordings'
  | 'deleteRecording'
  | 'exportRecordingCsv'

type Promised<F> = F extends (...args: infer A) => infer R
  ? (...args: A) => Promise<Awaited<R>>
  : never

/**
 * Request → response operations. Every function returns a promise. The engine's own operations
 * take their signatures from `Engine`, so the two cannot drift apart.
 */
export type BridgeOperations = {
  [K in EngineOperationName]: Promised<Engine[K]>
} & {
  /** The settings file's text; `mqtt.password` is left out (null) unless `includePassword`. */
  exportSettings(options: { includePassword: boolean }): Promise<string>
  generateToken(): Promise<string>
  /** Encodes text or hex like the send box shows it, then writes it (`Engine.writePort`). */
  sendToPort(request: SendRequest): Promise<Result<{ bytes: number }>>
  /**
   * Encodes like `sendToPort`, then asks through the port's query queue (`Engine.queryPort`):
   * it never gets a poll's or a tool's answer. Errors: not open, `no reply within 1000 ms`, ...
   */
  queryPort(request: QueryRequest): Promise<Result<QueryReply>>
  /** Adds the origin to `server.allowedOrigins`. */
  allowOrigin(origin: string): Promise<Result<Settings>>
  /** Adds a rule to `server.clientRules`, replacing one with the same match and action. */
  addClientRule(request: ClientRuleRequest): Promise<Result<Settings>>
  /** Removes the rule with this match and action (expired or not). */
  removeClientRule(match: ClientRuleMatch, action: ClientRuleAction): Promise<Result<Settings>>

  getPreferences(): Promise<AppPreferences>
  setPreferences(input: Partial<AppPreferences>): Promise<AppPreferences>
  /** Writes text the user chose to save (stream export); returns the path, or null if cancelled. */
  saveText(suggestedName: string, text: string): Promise<string | null>
  /** Desktop: shows the recordings folder (or a port's folder in it) in the file manager. */
  openRecordingsFolder(port: string | null): Promise<Result>
  /** Browser: a one-time address that downloads a recording or its CSV (admin channel). */
  downloadRecording(file: string): Promise<Result<{ url: string }>>
}

/** Main → UI events. */
export interface BridgeEventPayloads {
  port: { port: PortInfo; removed?: boolean }
  frames: FrameBatch
  clients: ClientInfo[]
  refused: RefusedConnection
  devices: DeviceChange
  server: ServerStatus
  settings: Settings
  mqtt: MqttStatus
  notice: Notice
}

export type Unsubscribe = () => void

type Capitalized<S extends string> = S extends `${infer F}${infer R}` ? `${Uppercase<F>}${R}` : S

/** `onPort`, `onFrames`, ...: each returns its own unsubscribe function. */
export type BridgeSubscriptions = {
  [K in keyof BridgeEventPayloads as `on${Capitalized<K>}`]: (
    listener: (payload: BridgeEventPayloads[K]) => void,
  ) => Unsubscribe
}

/** What `window.bridge` is, in Electron (preload) and in the browser (web bridge) alike. */
export type BridgeApi = BridgeOperations &
  BridgeSubscriptions & { readonly kind: 'electron' | 'web' }

export const invokeChannels = {
  getServerStatus: 'server:status',
  getSettings: 'settings:get',
  updateServerSettings: 'settings:update-server',
  updateMqttSettings: 'settings:update-mqtt',
  getMqttStatus: 'mqtt:status',
  testMqtt: 'mqtt:test',
  importSettings: 'settings:import',
  exportSettings: 'settings:export',
  generateToken: 'settings:generate-token',
  listPorts: 'ports:list',
  addPort: 'ports:add',
  updatePort: 'ports:update',
  removePort: 'ports:remove',
  openPort: 'ports:open',
  closePort: 'ports:close',
  openAllPorts: 'ports:open-all',
  closeAllPorts: 'ports:close-all',
  sendToPort: 'ports:send',
  queryPort: 'ports:query',
  releasePort: 'ports:release',
  listDevices: 'devices:list',
  listClients: 'clients:list',
  disconnectClient: 'clients:disconnect',
  setClientReadOnly: 'clients:set-read-only',
  listRefused: 'clients:refused',
  clearRefused: 'clients:clear-refused',
  allowOrigin: 'clients:allow-origin',
  addClientRule: 'clients:add-rule',
  removeClientRule: 'clients:remove-rule',
  setRecording: 'recordings:set',
  listRecordings: 'recordings:list',
  deleteRecording: 'recordings:delete',
  exportRecordingCsv: 'recordings:export-csv',
  openRecordingsFolder: 'recordings:open-folder',
  downloadRecording: 'recordings:download',
  getPreferences: 'app:get-preferences',
  setPreferences: 'app:set-preferences',
  saveText: 'app:save-text',
} as const satisfies Record<keyof BridgeOperations, string>

export const eventChannels = {
  port: 'event:port',
  frames: 'event:frames',
  clients: 'event:clients',
  refused: 'event:refused',
  devices: 'event:devices',
  server: 'event:server',
  settings: 'event:settings',
  mqtt: 'event:mqtt',
  notice: 'event:notice',
} as const satisfies Record<keyof BridgeEventPayloads, string>

export type OperationName = keyof BridgeOperations
export type EventName = keyof BridgeEventPayloads
export type OperationArgs<K extends OperationName> = Parameters<BridgeOperations[K]>
export type OperationResultOf<K extends OperationName> = Awaited<ReturnType<BridgeOperations[K]>>

/** At most this many frame batches per second reach the UI. */
export const FRAME_BATCH_HZ = 60
