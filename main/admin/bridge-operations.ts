import { randomBytes } from 'node:crypto'
import type {
  AppPreferences,
  BridgeOperations,
  ClientRuleRequest,
  QueryReply,
  QueryRequest,
  SendRequest,
} from '../../common/contract'
import type { Engine, PortInfo } from '../../common/engine-api'
import { clientRuleKey, type ClientRule, type Settings } from '../../common/settings-schema'
import type { Result } from '../../common/validation'
import { encodeWrite } from '../core/protocol/write-payload'

/** The parts of the contract that depend on where the UI runs (desktop shell or browser). */
export interface BridgeHost {
  getPreferences(): AppPreferences | Promise<AppPreferences>
  setPreferences(input: Partial<AppPreferences>): AppPreferences | Promise<AppPreferences>
  saveText(suggestedName: string, text: string): Promise<string | null>
  /** Shows a folder in the file manager (desktop); absent where that cannot be done. */
  openFolder?(path: string): Promise<Result>
  /** A one-time address that downloads the file (browser); absent where files are local. */
  downloadUrl?(path: string, name: string): Promise<Result<{ url: string }>>
}

const notHere = (what: string) =>
  Promise.resolve({ ok: false as const, errors: [`cannot ${what} from here`] })

/** 32 random bytes: far beyond guessing, and URL-safe for `?token=`. */
const TOKEN_BYTES = 32

/**
 * The contract's operations over an engine: one implementation behind both the Electron IPC
 * handlers and the admin WebSocket. Arguments are assumed checked (see operation-args).
 */
export function createBridgeOperations(engine: Engine, host: BridgeHost): BridgeOperations {
  return {
    getServerStatus: async () => engine.getServerStatus(),
    getSettings: async () => engine.getSettings(),
    updateServerSettings: (input) => engine.updateServerSettings(input),
    updateMqttSettings: (input) => engine.updateMqttSettings(input),
    getMqttStatus: async () => engine.getMqttStatus(),
    testMqtt: (input) => engine.testMqtt(input),
    importSettings: (input) => engine.importSettings(input),
    // Same text as the headless config file, so an export sets up another PC as-is; the broker
    // password only when asked for (a file travels further than the PC it was made on).
    exportSettings: async ({ includePassword }) => {
      const settings = engine.getSettings()
      const shown = includePassword
        ? settings
        : { ...settings, mqtt: { ...settings.mqtt, password: null } }
      return JSON.stringify(shown, null, 2) + '\n'
    },
    generateToken: async () => randomBytes(TOKEN_BYTES).toString('base64url'),

    listPorts: async () => engine.listPorts(),
    addPort: (input) => engine.addPort(input),
    updatePort: (id, input) => engine.updatePort(id, input),
    removePort: (id) => engine.removePort(id),
    openPort: (id) => engine.openPort(id),
    closePort: (id) => engine.closePort(id),
    openAllPorts: () => engine.openAllPorts(),
    closeAllPorts: () => engine.closeAllPorts(),
    sendToPort: (request) => sendToPort(engine, request),
    queryPort: (request) => queryPort(engine, request),
    releasePort: (id, seconds) => engine.releasePort(id, seconds),
    listDevices: () => engine.listDevices(),

    listClients: async () => engine.listClients(),
    disconnectClient: async (id) => engine.disconnectClient(id),
    setClientReadOnly: async (id, readOnly) => engine.setClientReadOnly(id, readOnly),
    listRefused: async () => engine.listRefused(),
    clearRefused: async () => engine.clearRefused(),
    async allowOrigin(origin) {
      const current = engine.getSettings()
      if (current.server.allowedOrigins.includes(origin)) return { ok: true, value: current }
      return engine.updateServerSettings({
        allowedOrigins: [...current.server.allowedOrigins, origin],
      })
    },

    addClientRule: (request) => addClientRule(engine, request),
    async removeClientRule(match, action) {
      const key = clientRuleKey(match, action)
      const rules = engine.getSettings().server.clientRules
      const kept = rules.filter((r) => clientRuleKey(r.match, r.action) !== key)
      if (kept.length === rules.length) return { ok: false, errors: ['no such rule'] }
      return engine.updateServerSettings({ clientRules: kept })
    },

    getPreferences: async () => host.getPreferences(),
    setPreferences: async (input) => host.setPreferences(input),
    saveText: (suggestedName, text) => host.saveText(suggestedName, text),

    setRecording: (port, enabled) => engine.setRecording(port, enabled),
    listRecordings: () => engine.listRecordings(),
    deleteRecording: (file) => engine.deleteRecording(file),
    exportRecordingCsv: (file) => engine.exportRecordingCsv(file),
    async openRecordingsFolder(port) {
      const folder = await engine.recordingsFolder(port)
      if (!folder.ok) return folder
      return host.openFolder?.(folder.value) ?? notHere(`open ${folder.value}`)
    },
    async downloadRecording(file) {
      const path = engine.recordingFilePath(file)
      // `meter/2026-11-23T09-15-02Z.jsonl` downloads as `meter-2026-11-23T09-15-02Z.jsonl`.
      if (!path.ok) return path
      return host.downloadUrl?.(path.value, file.replace(/[\\/]/g, '-')) ?? notHere('download')
    },
  }
}

/** A new rule takes the place of one with the same match and action (e.g. a longer block). */
function addClientRule(engine: Engine, request: ClientRuleRequest): Promise<Result<Settings>> {
  const { match, action, seconds } = request
  const rule: ClientRule = {
    match,
    action,
    until: seconds === null ? null : new Date(Date.now() + seconds * 1000).toISOString(),
  }
  const key = clientRuleKey(match, action)
  const others = engine
    .getSettings()
    .server.clientRules.filter((r) => clientRuleKey(r.match, r.action) !== key)
  return engine.updateServerSettings({ clientRules: [...others, rule] })
}

async function sendToPort(
  engine: Engine,
  request: SendRequest,
): Promise<Result<{ bytes: number }>> {
  const encoded = encodeRequest(engine, request)
  if (!encoded.ok) return encoded
  return engine.writePort(encoded.value.port.id, encoded.value.bytes)
}

async function queryPort(engine: Engine, request: QueryRequest): Promise<Result<QueryReply>> {
  const encoded = encodeRequest(engine, request)
  if (!encoded.ok) return encoded
  const { port, bytes } = encoded.value
  const { timeoutMs, expect, expectLines } = request
  const replied = await engine.queryPort(port.id, bytes, { timeoutMs, expect, expectLines })
  if (!replied.ok) return replied
  const text = port.settings.encoding === 'utf8' ? 'utf8' : 'latin1'
  const { frames, ms } = replied.value
  return {
    ok: true,
    value: {
      lines: frames.map((f) => Buffer.from(f.bytes).toString(text)),
      hex: frames.map((f) =>
        Buffer.from(f.bytes)
          .toString('hex')
          .replace(/(..)(?=.)/g, '$1 '),
      ),
      values: frames.map((f) => f.values ?? null),
      ms,
    },
  }
}

/** Text or hex as the send box shows it, as the bytes for its port. */
function encodeRequest(
  engine: Engine,
  request: SendRequest,
): Result<{ port: PortInfo; bytes: Buffer }> {
  const port = engine.listPorts().find((p) => p.id === request.port)
  if (!port) return { ok: false, errors: [`no port with id "${request.port}"`] }
  const encoded =
    request.format === 'hex'
      ? parseHex(request.data)
      : encodeWrite(request.data, 'utf8', {
          writeTerminator: request.terminator,
          encoding: port.settings.encoding,
        })
  if (!encoded.ok) return encoded
  if (encoded.value.length === 0)
    return { ok: false, errors: ['nothing to send: the text is empty'] }
  return { ok: true, value: { port, bytes: encoded.value } }
}

/** Pairs of hex digits, whitespace anywhere; the error names what is wrong. */
export function parseHex(text: string): Result<Buffer> {
  const compact = text.replace(/\s+/g, '')
  if (compact.length === 0)
    return { ok: false, errors: ['nothing to send: the hex field is empty'] }
  const bad = /[^0-9a-fA-F]/.exec(compact)
  if (bad) {
    return {
      ok: false,
      errors: [`"${bad[0]}" is not a hex digit: use 0-9 and a-f, e.g. "0d 0a"`],
    }
  }
  if (compact.length % 2 !== 0) {
    return {
      ok: false,
      errors: [
        `hex needs pairs of digits: ${compact.length} digits given, one is missing or extra`,
      ],
    }
  }
  return { ok: true, value: Buffer.from(compact, 'hex') }
}
