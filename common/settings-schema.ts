import { z } from 'zod'
import { pollListSchema } from './polls/poll-settings'
import { parseSettingsSchema } from './values/parse-settings'
import { CLIENT_NAME_PATTERN, CLIENT_NAME_RULE } from './client-name'
import { isLoopbackHost } from './loopback'
import { normalizeOrigin } from './origin'
import { deviceConflict } from './port-device'
import { MQTT_TOPIC_PATTERN, MQTT_TOPIC_RULE } from './mqtt-topic'
import { defaultPortId, PORT_ID_PATTERN } from './port-id'
import { SIM_REPLAY_PATH } from './sim-paths'

/** The one schema for everything Serial Bridge persists: headless config files and the app's store. */

const MiB = 1024 * 1024

export const clientNameSchema = z
  .string()
  .regex(CLIENT_NAME_PATTERN, `a client name uses ${CLIENT_NAME_RULE}`)

/** A tool by the name it gives itself (`?client=`), or a web page by its Origin. */
export const clientRuleMatchSchema = z.union(
  [
    z.strictObject({ name: clientNameSchema }),
    z.strictObject({ origin: z.string().min(1).max(2048) }),
  ],
  { error: 'match is {"name": "..."} (the ?client= name of a tool) or {"origin": "..."}' },
)

/** The operator's rule for a tool, kept across its reconnections. */
export const clientRuleSchema = z.strictObject({
  match: clientRuleMatchSchema,
  /** `readOnly`: its writes and queries are refused (FORBIDDEN); `block`: refused at the upgrade (403). */
  action: z.enum(['readOnly', 'block']),
  /** When the rule stops applying (it stays listed, as expired); null: until removed. */
  until: z.iso
    .datetime({
      offset: true,
      error: 'until is an ISO date and time (e.g. "2026-11-20T10:10:00Z") or null',
    })
    .nullable()
    .default(null),
})

/** A token beside `server.token`, with a name the Clients view shows; read-only by default. */
export const accessTokenSchema = z.strictObject({
  token: z.string().min(8, 'token must be at least 8 characters').max(1024),
  name: z.string().trim().min(1, 'name is required, e.g. "dashboard"').max(64),
  readOnly: z.boolean().default(true),
})

const filePath = z.string().min(1, 'a file path is required')

/**
 * TLS for the WebSocket server: `"auto"` makes a self-signed certificate on first use (kept in
 * the app's data folder), or PEM files. With TLS the server speaks https/wss only.
 */
export const serverTlsSchema = z.union(
  [z.literal('auto'), z.strictObject({ cert: filePath, key: filePath })],
  { error: 'tls is "auto" or {"cert": FILE, "key": FILE} (PEM files), or null for none' },
)

/**
 * Origins are compared as exact strings, so two values that look like rules would only ever
 * match themselves: `*` as a literal is a mistake, and `null` lets in every page that claims it.
 */
function allowedOriginSchema() {
  return z
    .string()
    .min(1)
    .superRefine((origin, ctx) => {
      const o = normalizeOrigin(origin)
      if (o === '*') {
        ctx.addIssue({
          code: 'custom',
          message:
            '"*" is not a wildcard here: list each page\'s origin, e.g. "http://127.0.0.1:8080"',
        })
      } else if (o === 'null') {
        ctx.addIssue({
          code: 'custom',
          message:
            '"null" is the origin of file:// and sandboxed pages, which any page can claim: ' +
            'serve the page from a local web server and list its origin instead',
        })
      }
    })
}

export const serverSettingsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8765),
  /** Required when `host` is not loopback. Presented as `?token=` or `Authorization: Bearer`. */
  token: z.string().min(8, 'token must be at least 8 characters').nullable().default(null),
  /** More tokens, any of which admits; a read-only one admits a tool that cannot write. */
  tokens: z.array(accessTokenSchema).max(100).default([]),
  /** Tools kept read-only or kept out, by name or origin (docs/protocol.md, Client rules). */
  clientRules: z.array(clientRuleSchema).max(500).default([]),
  /** Browser origins allowed to connect, e.g. `http://localhost:3000`. Tools without Origin are unaffected. */
  allowedOrigins: z.array(allowedOriginSchema()).default([]),
  /** Extra Host header names accepted besides the loopback names (when bound to the LAN). */
  allowedHosts: z.array(z.string().min(1)).default([]),
  maxClients: z.number().int().min(1).max(10_000).default(64),
  heartbeatSeconds: z.number().min(1).max(3600).default(15),
  maxPayloadBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * MiB)
    .default(MiB),
  clientBufferBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * MiB)
    .default(MiB),
  /** Frames each port keeps for clients that resume after a cut (feature `resume`); 0 keeps none. */
  replayFrames: z.number().int().min(0).max(1_000_000).default(10_000),
  /** The same ring bounded by the frames' bytes: the older frames leave first. */
  replayBytes: z
    .number()
    .int()
    .min(0)
    .max(256 * MiB)
    .default(8 * MiB),
  /** Per client: writes, queries and other messages that act on a port; past it RATE_LIMITED. */
  maxMessagesPerSecond: z.number().int().min(1).max(1_000_000).default(1000),
  /** Queries waiting or in progress on one port, from all clients; one more is answered BUSY. */
  maxQueuedQueriesPerPort: z.number().int().min(1).max(10_000).default(64),
  /** Queries one client may have waiting or in progress, over all ports. */
  maxQueuedQueriesPerClient: z.number().int().min(1).max(10_000).default(16),
  /** Bytes waiting to be written to one port (a stalled port); a write past it is answered BUSY. */
  maxQueuedWriteBytesPerPort: z
    .number()
    .int()
    .min(1024)
    .max(256 * MiB)
    .default(MiB),
  /** A write the port has not taken by then is answered TIMEOUT (and dropped if not yet sent). */
  writeTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  /** Connections not yet upgraded to a WebSocket (HTTP requests in progress), all together. */
  maxPendingConnections: z.number().int().min(1).max(10_000).default(128),
  /** The same, from one remote address. */
  maxPendingConnectionsPerAddress: z.number().int().min(1).max(10_000).default(32),
  /** Protects the admin channel of `--ui` mode; generated at start when null. */
  adminToken: z.string().min(16).nullable().default(null),
  tls: serverTlsSchema.nullable().default(null),
})

export const framingSchema = z.strictObject({
  /** `line` ends a frame at \n, \r\n or \r; `delimiter` at one exact byte sequence. */
  mode: z.enum(['line', 'raw', 'delimiter', 'idle', 'length']).default('line'),
  /** Each character is one byte (code 0–255), so any byte sequence can be written, e.g. "\r\n" or "\u0003". */
  delimiter: z
    .string()
    .min(1)
    .refine(
      (s) => [...s].every((c) => c.charCodeAt(0) < 256),
      'delimiter characters must be codes 0–255 (one byte each)',
    )
    .default('\n'),
  idleMs: z.number().int().min(1).max(60_000).default(50),
  length: z.number().int().min(1).max(65_536).default(16),
  /** A frame that grows past this is cut here (and counted): a missing ending can't grow memory. */
  maxFrameBytes: z
    .number()
    .int()
    .min(16)
    .max(16 * MiB)
    .default(64 * 1024),
})

export const matchSchema = z.strictObject({
  serialNumber: z.string().min(1).optional(),
  vendorId: z
    .string()
    .regex(/^[0-9a-fA-F]{4}$/, 'vendorId is 4 hex digits')
    .optional(),
  productId: z
    .string()
    .regex(/^[0-9a-fA-F]{4}$/, 'productId is 4 hex digits')
    .optional(),
})

/** A command kept with its port and sent with one click from the Stream view, e.g. `*IDN?`. */
export const savedCommandSchema = z.strictObject({
  label: z.string().trim().min(1, 'label is required, e.g. "Identify"').max(40),
  /** Text is sent with the port's write terminator; hex is pairs of hex digits, sent as they are. */
  data: z.string().min(1, 'data is required, e.g. "*IDN?"').max(4096),
  format: z.enum(['text', 'hex']).default('text'),
})

/** Whether a port is recorded to disk (docs/recording.md); `tx` also records what was sent to it. */
export const recordSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  tx: z.boolean().default(true),
})

/** What `sim:replay` plays: a recording's received frames, with their timing scaled by `speed`. */
export const replaySettingsSchema = z.strictObject({
  /** A `.jsonl` recording: absolute, or relative to the recordings folder (`meter/2026-…Z.jsonl`). */
  file: z.string().min(1, 'file is required: a recording, e.g. meter/2026-11-23T09-15-02Z.jsonl'),
  /** 1 = as recorded, 10 = ten times faster, "max" = as fast as the port reads. */
  speed: z.union([z.number().min(0.01).max(1000), z.literal('max')]).default(1),
  loop: z.boolean().default(false),
  /** What a client writes to the replay port: echoed back as received data, or ignored. */
  writes: z.enum(['echo', 'ignore']).default('echo'),
})

/** The `recording` section: where recordings go and when files rotate. */
export const recordingSettingsSchema = z.strictObject({
  /** Null: the host's default (Documents/Serial Bridge/recordings, or ./recordings beside the config). */
  dir: z.string().min(1).nullable().default(null),
  rotateMiB: z.number().min(1).max(1_048_576).default(100),
  /** Also start a new file at local midnight. */
  rotateDaily: z.boolean().default(true),
  /** Delete recordings older than this many days; null keeps them all. */
  keepDays: z.number().int().min(1).max(36_500).nullable().default(null),
})

const portSettingsObject = z.strictObject({
  id: z
    .string()
    .regex(PORT_ID_PATTERN, 'id may use only letters, digits and . _ ~ - (at most 64)')
    .optional(),
  path: z.string().min(1, 'path is required, e.g. COM3 or /dev/ttyUSB0'),
  baudRate: z.number().int().min(50).max(20_000_000).default(9600),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
  flowControl: z.enum(['none', 'rtscts', 'xonxoff']).default('none'),
  dtr: z.boolean().default(true),
  rts: z.boolean().default(true),
  framing: framingSchema.default(() => framingSchema.parse({})),
  /** Appended to text writes that do not already end with it. Empty string: append nothing. */
  writeTerminator: z.string().default('\n'),
  encoding: z.enum(['utf8', 'latin1', 'ascii']).default('utf8'),
  autoOpen: z.boolean().default(true),
  reconnect: z.boolean().default(true),
  match: matchSchema.optional(),
  /** How frames become named numbers (`values` in data messages). */
  parse: parseSettingsSchema.default({ mode: 'none' }),
  /** Questions the bridge asks the instrument on a schedule while the port is open. */
  polls: pollListSchema.default([]),
  /** Buttons in the Stream view, in this order. */
  commands: z.array(savedCommandSchema).max(50).default([]),
  /** The MQTT uplink for this port; absent: published under `ports/{id}` (docs/mqtt.md). */
  mqtt: z
    .strictObject({
      publish: z.boolean().default(true),
      /** Replaces `{topicPrefix}/ports/{id}` as this port's topic base. */
      topic: z.string().max(200).regex(MQTT_TOPIC_PATTERN, MQTT_TOPIC_RULE).optional(),
    })
    .optional(),
  record: recordSettingsSchema.default(() => recordSettingsSchema.parse({})),
  /** Required for path `sim:replay`, ignored otherwise. */
  replay: replaySettingsSchema.optional(),
})

/** A port's settings as the engine holds them (every default filled in, `id` given). */
export const storedPortSettingsSchema = portSettingsObject.required({ id: true })

export const portSettingsSchema = portSettingsObject
  .superRefine((p, ctx) => {
    if (p.path === SIM_REPLAY_PATH && !p.replay) {
      ctx.addIssue({
        code: 'custom',
        path: ['replay'],
        message: `path ${SIM_REPLAY_PATH} needs replay: {"file": "meter/2026-11-23T09-15-02Z.jsonl"}`,
      })
    }
  })
  .transform((p) => ({
    ...p,
    id: p.id ?? defaultPortId(p.path),
  }))

const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:']

/** The uplink to a lab's MQTT broker (docs/mqtt.md). Off by default. */
export const mqttSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  url: z
    .string()
    .refine((u) => {
      try {
        return MQTT_PROTOCOLS.includes(new URL(u).protocol)
      } catch {
        return false
      }
    }, 'url is mqtt://, mqtts://, ws:// or wss:// and a host, e.g. "mqtt://broker.lab:1883"')
    .default('mqtt://localhost:1883'),
  username: z.string().min(1).max(1024).nullable().default(null),
  /** Kept like `server.token`: never logged, left out of exports unless asked for. */
  password: z.string().max(1024).nullable().default(null),
  /** null: `serial-bridge-<hostname>`, the same on every start. */
  clientId: z.string().min(1).max(128).nullable().default(null),
  /** null: `serial-bridge/<hostname>`. */
  topicPrefix: z
    .string()
    .max(200)
    .regex(MQTT_TOPIC_PATTERN, MQTT_TOPIC_RULE)
    .nullable()
    .default(null),
  qos: z.union([z.literal(0), z.literal(1)]).default(0),
  protocolVersion: z.union([z.literal(5), z.literal(4)]).default(5),
  /** PEM files for mqtts:// and wss://: the broker's CA, and a client certificate if it asks. */
  tls: z
    .strictObject({
      ca: filePath.nullable().default(null),
      cert: filePath.nullable().default(null),
      key: filePath.nullable().default(null),
      rejectUnauthorized: z.boolean().default(true),
    })
    .default(() => ({ ca: null, cert: null, key: null, rejectUnauthorized: true })),
  publish: z
    .strictObject({ frames: z.boolean().default(true), values: z.boolean().default(true) })
    .default(() => ({ frames: true, values: true })),
  /** Subscribes to `ports/{id}/write` and `ports/{id}/query`: anyone on the broker may write. */
  commands: z.boolean().default(false),
  /** Commands even when the broker connection has no user name and no client certificate. */
  commandsWithoutAuthentication: z.boolean().default(false),
  /** What waits while the broker is unreachable; beyond either bound the oldest is dropped. */
  queue: z
    .strictObject({
      maxMessages: z.number().int().min(1).max(1_000_000).default(10_000),
      maxBytes: z
        .number()
        .int()
        .min(64 * 1024)
        .max(1024 * MiB)
        .default(16 * MiB),
    })
    .default(() => ({ maxMessages: 10_000, maxBytes: 16 * MiB })),
})

export const settingsSchema = z
  .strictObject({
    server: serverSettingsSchema.default(() => serverSettingsSchema.parse({})),
    ports: z.array(portSettingsSchema).default([]),
    mqtt: mqttSettingsSchema.default(() => mqttSettingsSchema.parse({})),
    recording: recordingSettingsSchema.default(() => recordingSettingsSchema.parse({})),
  })
  .superRefine((s, ctx) => {
    if (!isLoopbackHost(s.server.host) && !s.server.token && s.server.tokens.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['server', 'token'],
        message:
          `a token is required when server.host is "${s.server.host}" (not loopback): ` +
          'set server.token or add one to server.tokens',
      })
    }
    checkAccessLists(s.server, ctx)
    const seen = new Map<string, number>()
    s.ports.forEach((p, i) => {
      const first = seen.get(p.id)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'id'],
          message: `duplicate port id "${p.id}" (also ports[${first}])`,
        })
      } else seen.set(p.id, i)
      const clash = deviceConflict(p, s.ports.slice(0, i))
      if (clash) {
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, clash.field],
          message: `${clash.message} (ports[${s.ports.indexOf(clash.other)}])`,
        })
      }
    })
  })

/** Two rules with the same key are one rule twice: names without case, origins normalized. */
export function clientRuleKey(match: ClientRuleMatch, action: ClientRuleAction): string {
  const who =
    'name' in match ? `name ${match.name.toLowerCase()}` : `origin ${normalizeOrigin(match.origin)}`
  return `${action} ${who}`
}

/** One entry per token value and per name; one rule per match and action. Errors name the entry. */
function checkAccessLists(server: z.output<typeof serverSettingsSchema>, ctx: z.RefinementCtx) {
  const firstOf = <T>(
    items: T[],
    key: (item: T) => string,
    report: (i: number, j: number) => void,
  ) => {
    const seen = new Map<string, number>()
    items.forEach((item, i) => {
      const k = key(item)
      const j = seen.get(k)
      if (j === undefined) seen.set(k, i)
      else report(i, j)
    })
  }
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['server', ...path], message })
  const { token, tokens, clientRules } = server
  tokens.forEach((t, i) => {
    if (t.token === token) issue(['tokens', i, 'token'], 'the same token as server.token')
  })
  firstOf(
    tokens,
    (t) => t.token,
    (i, j) => issue(['tokens', i, 'token'], `the same token as server.tokens[${j}]`),
  )
  firstOf(
    tokens,
    (t) => t.name.toLowerCase(),
    (i, j) =>
      issue(
        ['tokens', i, 'name'],
        `duplicate name "${tokens[i]!.name}" (also server.tokens[${j}])`,
      ),
  )
  firstOf(
    clientRules,
    (r) => clientRuleKey(r.match, r.action),
    (i, j) =>
      issue(
        ['clientRules', i],
        `the same match and action as server.clientRules[${j}]: keep one of them`,
      ),
  )
}

export type Settings = z.output<typeof settingsSchema>
export type SettingsInput = z.input<typeof settingsSchema>
export type ServerSettings = z.output<typeof serverSettingsSchema>
export type PortSettings = z.output<typeof portSettingsSchema>
export type PortSettingsInput = z.input<typeof portSettingsSchema>
export type Framing = z.output<typeof framingSchema>
export type ServerTls = z.output<typeof serverTlsSchema>
export type MqttSettings = z.output<typeof mqttSettingsSchema>
export type MqttSettingsInput = z.input<typeof mqttSettingsSchema>
export type PortMatch = z.output<typeof matchSchema>
export type ClientRule = z.output<typeof clientRuleSchema>
export type ClientRuleMatch = z.output<typeof clientRuleMatchSchema>
export type ClientRuleAction = ClientRule['action']
export type AccessToken = z.output<typeof accessTokenSchema>
export type SavedCommand = z.output<typeof savedCommandSchema>
export type RecordSettings = z.output<typeof recordSettingsSchema>
export type ReplaySettings = z.output<typeof replaySettingsSchema>
export type RecordingSettings = z.output<typeof recordingSettingsSchema>

export const defaultSettings = (): Settings => settingsSchema.parse({})
