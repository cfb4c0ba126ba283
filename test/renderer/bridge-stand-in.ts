import type {
  AppPreferences,
  BridgeApi,
  BridgeEventPayloads,
  BridgeOperations,
  EventName,
  OperationName,
  SendRequest,
  StreamFrame,
} from '../../common/contract'
import type {
  ClientInfo,
  DeviceInfo,
  MqttStatus,
  MqttTestResult,
  PortInfo,
  RecordingFile,
  RefusedConnection,
  ServerStatus,
} from '../../common/engine-api'
import type { PortMetrics } from '../../common/protocol'
import {
  clientRuleKey,
  type ClientRuleMatch,
  type PortSettings,
  type Settings,
} from '../../common/settings-schema'
import { validatePortSettings, validateSettings, type Result } from '../../common/validation'

/**
 * An in-memory `BridgeApi` for component tests: the Electron preload cannot run here and the
 * admin channel is not part of these tests. It validates with the real settings schema,
 * records every call, and can hold an operation open so a test sees its progress message.
 */
export interface BridgeStandIn extends BridgeApi {
  readonly calls: Array<{ op: OperationName; args: unknown[] }>
  readonly saved: Array<{ name: string; text: string }>
  settings: Settings
  ports: PortInfo[]
  clients: ClientInfo[]
  refused: RefusedConnection[]
  devices: DeviceInfo[]
  recordings: RecordingFile[]
  preferences: AppPreferences
  server: ServerStatus
  mqtt: MqttStatus
  /** What the Test button hears next. */
  mqttTest: MqttTestResult
  emit<K extends EventName>(event: K, payload: BridgeEventPayloads[K]): void
  /** The next call of `op` waits until `release()`. */
  hold(op: OperationName): { release(): void; reached: Promise<void> }
  /** Subscriptions now active, per event. */
  listenerCount(event: EventName): number
}

const zeroMetrics = (): PortMetrics => ({
  bytesIn: 0,
  bytesOut: 0,
  framesIn: 0,
  framesOut: 0,
  bytesInPerSec: 0,
  bytesOutPerSec: 0,
  framesInPerSec: 0,
  framesOutPerSec: 0,
  openSince: null,
  lastActivity: null,
  errors: 0,
  reconnects: 0,
  framesCut: 0,
  unendedBytes: 0,
  unendedMs: 0,
  parseErrors: 0,
})

export function portInfo(settings: PortSettings, state: PortInfo['state'] = 'closed'): PortInfo {
  return { id: settings.id, path: settings.path, state, settings, metrics: zeroMetrics() }
}

export function clientInfo(id: string, extra: Partial<ClientInfo> = {}): ClientInfo {
  return {
    id,
    name: null,
    tokenName: null,
    remoteAddress: '127.0.0.1',
    origin: null,
    userAgent: 'Python/3.11 websockets/12.0',
    endpoint: '/ports/sim-demo',
    subscriptions: ['sim-demo'],
    connectedSince: '2026-11-20T10:00:00.000Z',
    framesIn: 0,
    framesOut: 5,
    bytesIn: 0,
    bytesOut: 120,
    dropped: 0,
    readOnly: false,
    readOnlyBy: extra.readOnly ? ['operator'] : [],
    ...extra,
  }
}

/** The rule key of what a rule for this client would match, as the Clients view picks it. */
const clientKey = (c: ClientInfo, action: 'readOnly' | 'block'): string | null => {
  const match: ClientRuleMatch | null =
    c.name !== null ? { name: c.name } : c.origin !== null ? { origin: c.origin } : null
  return match && clientRuleKey(match, action)
}

/** A port number another program holds on the stand-in's machine. */
export const TAKEN_PORT = 80

/** Paths the stand-in can open, like a machine with these devices plugged in. */
const openable = (path: string) => path.startsWith('sim:') || path.startsWith('/dev/tty')

export function createBridgeStandIn(kind: BridgeApi['kind'] = 'electron'): BridgeStandIn {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const holds = new Map<OperationName, { gate: Promise<void>; reached: () => void }>()
  const fresh = validateSettings({})
  if (!fresh.ok) throw new Error(fresh.errors.join('; '))

  const self = {
    kind,
    calls: [] as BridgeStandIn['calls'],
    saved: [] as BridgeStandIn['saved'],
    settings: fresh.value,
    ports: [] as PortInfo[],
    clients: [] as ClientInfo[],
    refused: [] as RefusedConnection[],
    devices: [] as DeviceInfo[],
    recordings: [] as RecordingFile[],
    preferences: { startAtLogin: false, startMinimized: false, closeToTray: true },
    server: { state: 'listening', url: 'ws://127.0.0.1:8765' } as ServerStatus,
    mqtt: {
      state: 'off',
      url: null,
      clientId: 'serial-bridge-lab-pc',
      topicPrefix: 'serial-bridge/lab-pc',
      commands: false,
      published: 0,
      dropped: 0,
      queued: 0,
      commandsHandled: 0,
      commandsForbidden: 0,
    } as MqttStatus,
    mqttTest: { ok: true, message: 'Connected and published one message' } as MqttTestResult,
  }

  const emit = <K extends EventName>(event: K, payload: BridgeEventPayloads[K]) => {
    for (const listener of listeners.get(event) ?? []) listener(payload)
  }

  const setPort = (port: PortInfo) => {
    self.ports = self.ports.map((p) => (p.id === port.id ? port : p))
    emit('port', { port })
  }

  const findPort = (id: string) => self.ports.find((p) => p.id === id)

  const ops: BridgeOperations = {
    getServerStatus: async () => self.server,
    getSettings: async () => self.settings,
    async updateServerSettings(input) {
      const result = validateSettings({
        ...self.settings,
        server: { ...self.settings.server, ...input },
      })
      if (result.ok) {
        self.settings = result.value
        emit('settings', result.value)
      }
      return result
    },
    async updateMqttSettings(input) {
      const result = validateSettings({
        ...self.settings,
        mqtt: { ...self.settings.mqtt, ...input },
      })
      if (result.ok) {
        self.settings = result.value
        emit('settings', result.value)
      }
      return result
    },
    getMqttStatus: async () => self.mqtt,
    testMqtt: async () => self.mqttTest,
    async importSettings(input) {
      const result = validateSettings(input)
      if (!result.ok) return result
      const { host, port } = self.settings.server
      // Like the engine: an address that cannot be bound is not taken over from the file.
      const taken = result.value.server.port === TAKEN_PORT
      self.settings = taken
        ? { ...result.value, server: { ...result.value.server, host, port } }
        : result.value
      if (taken) {
        self.server = { ...self.server, error: `the new server.port could not be used (taken)` }
        emit('server', self.server)
      }
      self.ports = self.settings.ports.map((p) => portInfo(p))
      emit('settings', self.settings)
      return { ok: true, value: self.settings }
    },
    exportSettings: async ({ includePassword }) =>
      JSON.stringify(
        includePassword
          ? self.settings
          : { ...self.settings, mqtt: { ...self.settings.mqtt, password: null } },
        null,
        2,
      ),
    generateToken: async () => 'generated-token-0123456789abcdef',
    listPorts: async () => self.ports,
    async addPort(input) {
      const result = validatePortSettings(input)
      if (!result.ok) return result
      if (findPort(result.value.id))
        return { ok: false, errors: [`id: duplicate port id "${result.value.id}"`] }
      const port = portInfo(result.value)
      self.ports = [...self.ports, port]
      emit('port', { port })
      return { ok: true, value: port }
    },
    async updatePort(id, input) {
      const result = validatePortSettings(input)
      const current = findPort(id)
      if (!result.ok) return result
      if (!current) return { ok: false, errors: [`unknown port ${id}`] }
      const port = {
        ...current,
        id: result.value.id,
        path: result.value.path,
        settings: result.value,
      }
      self.ports = self.ports.map((p) => (p.id === id ? port : p))
      emit('port', { port })
      return { ok: true, value: port }
    },
    async removePort(id) {
      const port = findPort(id)
      if (!port) return { ok: false, errors: [`unknown port ${id}`] }
      self.ports = self.ports.filter((p) => p.id !== id)
      emit('port', { port, removed: true })
      return { ok: true, value: undefined }
    },
    async openPort(id): Promise<Result<PortInfo>> {
      const port = findPort(id)
      if (!port) return { ok: false, errors: [`unknown port ${id}`] }
      if (!openable(port.path)) {
        const error = `${port.path} was not found: the device is unplugged or the name is wrong.`
        setPort({ ...port, state: 'error', error })
        return { ok: false, errors: [error] }
      }
      const open: PortInfo = { ...port, state: 'open' }
      delete open.error
      setPort(open)
      return { ok: true, value: open }
    },
    async closePort(id) {
      const port = findPort(id)
      if (!port) return { ok: false, errors: [`unknown port ${id}`] }
      const closed: PortInfo = { ...port, state: 'closed' }
      setPort(closed)
      return { ok: true, value: closed }
    },
    async openAllPorts() {
      for (const p of self.ports) await ops.openPort(p.id)
    },
    async closeAllPorts() {
      for (const p of self.ports) await ops.closePort(p.id)
    },
    async sendToPort(request: SendRequest) {
      const port = findPort(request.port)
      if (!port || port.state !== 'open')
        return { ok: false, errors: [`${request.port} is not open`] }
      const data =
        request.format === 'hex'
          ? Uint8Array.from(request.data.match(/[0-9a-f]{2}/gi) ?? [], (h) => parseInt(h, 16))
          : new TextEncoder().encode(
              request.data.endsWith(request.terminator)
                ? request.data
                : request.data + request.terminator,
            )
      const frame: StreamFrame = { port: port.id, direction: 'tx', ts: Date.now(), data }
      emit('frames', { frames: [frame], dropped: 0 })
      return { ok: true, value: { bytes: data.length } }
    },
    // An echoing instrument: the reply is the command itself.
    async queryPort(request) {
      const port = findPort(request.port)
      if (!port || port.state !== 'open')
        return { ok: false, errors: [`port "${request.port}" is ${port?.state}, not open`] }
      const hex = [...new TextEncoder().encode(request.data)]
      const pairs = hex.map((b) => b.toString(16).padStart(2, '0')).join(' ')
      return { ok: true, value: { lines: [request.data], hex: [pairs], values: [null], ms: 1 } }
    },
    async releasePort(id, seconds) {
      const port = findPort(id)
      if (!port) return { ok: false, errors: [`unknown port ${id}`] }
      const until = seconds === null ? null : new Date(Date.now() + seconds * 1000).toISOString()
      const released: PortInfo = { ...port, state: 'released', until }
      setPort(released)
      return { ok: true, value: released }
    },
    listDevices: async () => ({ ok: true, devices: self.devices }),
    listClients: async () => self.clients,
    async disconnectClient(id) {
      if (!self.clients.some((c) => c.id === id)) return { ok: false, errors: [`no client ${id}`] }
      self.clients = self.clients.filter((c) => c.id !== id)
      emit('clients', self.clients)
      return { ok: true, value: undefined }
    },
    async setClientReadOnly(id, readOnly) {
      self.clients = self.clients.map((c) =>
        c.id === id ? { ...c, readOnly, readOnlyBy: readOnly ? ['operator'] : [] } : c,
      )
      emit('clients', self.clients)
      return { ok: true, value: undefined }
    },
    listRefused: async () => self.refused,
    async clearRefused() {
      self.refused = []
    },
    async allowOrigin(origin) {
      const origins = [...self.settings.server.allowedOrigins, origin]
      return ops.updateServerSettings({ allowedOrigins: origins })
    },
    async addClientRule({ match, action, seconds }) {
      const key = clientRuleKey(match, action)
      const others = self.settings.server.clientRules.filter(
        (r) => clientRuleKey(r.match, r.action) !== key,
      )
      const until = seconds === null ? null : new Date(Date.now() + seconds * 1000).toISOString()
      const result = await ops.updateServerSettings({
        clientRules: [...others, { match, action, until }],
      })
      if (!result.ok) return result
      // Like the engine: a block disconnects the tools it matches, read-only flips them.
      self.clients = self.clients.flatMap((c) => {
        if (clientKey(c, action) !== key) return [c]
        if (action === 'block') return []
        return [{ ...c, readOnly: true, readOnlyBy: ['rule', ...c.readOnlyBy] }]
      })
      emit('clients', self.clients)
      return result
    },
    async removeClientRule(match, action) {
      const key = clientRuleKey(match, action)
      const rules = self.settings.server.clientRules
      const kept = rules.filter((r) => clientRuleKey(r.match, r.action) !== key)
      if (kept.length === rules.length) return { ok: false, errors: ['no such rule'] }
      return ops.updateServerSettings({ clientRules: kept })
    },
    getPreferences: async () => self.preferences,
    async setPreferences(input) {
      self.preferences = { ...self.preferences, ...input }
      return self.preferences
    },
    async saveText(name, text) {
      self.saved.push({ name, text })
      return `/home/lab/${name}`
    },
    async setRecording(id, enabled) {
      const port = findPort(id)
      if (!port) return { ok: false, errors: [`unknown port ${id}`] }
      const file = `${id}/2026-11-23T09-15-02Z.jsonl`
      const recording = enabled
        ? {
            state: 'recording' as const,
            file,
            bytes: 2048,
            frames: 12,
            since: new Date().toISOString(),
            dropped: 0,
          }
        : { state: 'off' as const, file: null, bytes: 0, frames: 0, since: null, dropped: 0 }
      const next = {
        ...port,
        settings: { ...port.settings, record: { ...port.settings.record, enabled } },
        recording,
      }
      setPort(next)
      return { ok: true, value: next }
    },
    listRecordings: async () => ({
      ok: true,
      value: { dir: '/home/lab/recordings', files: self.recordings },
    }),
    async deleteRecording(file) {
      self.recordings = self.recordings.filter((r) => r.file !== file)
      return { ok: true, value: undefined }
    },
    exportRecordingCsv: async (file) => ({
      ok: true,
      value: { file: file.replace(/\.jsonl$/, '.csv'), rows: 12 },
    }),
    openRecordingsFolder: async () => ({ ok: true, value: undefined }),
    downloadRecording: async (file) => ({
      ok: true,
      value: { url: `/admin/download/ticket-for-${file}` },
    }),
  }

  const recorded = Object.fromEntries(
    (Object.keys(ops) as OperationName[]).map((op) => [
      op,
      async (...args: unknown[]) => {
        self.calls.push({ op, args })
        const held = holds.get(op)
        if (held) {
          holds.delete(op)
          held.reached()
          await held.gate
        }
        return (ops[op] as (...a: unknown[]) => Promise<unknown>)(...args)
      },
    ]),
  ) as unknown as BridgeOperations

  const on =
    <K extends EventName>(event: K) =>
    (listener: (payload: BridgeEventPayloads[K]) => void) => {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const l = listener as (payload: unknown) => void
      set.add(l)
      return () => void set.delete(l)
    }

  return Object.assign(self, recorded, {
    emit,
    hold(op: OperationName) {
      let release!: () => void
      let reached!: () => void
      const gate = new Promise<void>((r) => (release = r))
      const reachedP = new Promise<void>((r) => (reached = r))
      holds.set(op, { gate, reached })
      return { release, reached: reachedP }
    },
    listenerCount: (event: EventName) => listeners.get(event)?.size ?? 0,
    onPort: on('port'),
    onFrames: on('frames'),
    onClients: on('clients'),
    onRefused: on('refused'),
    onDevices: on('devices'),
    onServer: on('server'),
    onSettings: on('settings'),
    onMqtt: on('mqtt'),
    onNotice: on('notice'),
  })
}
