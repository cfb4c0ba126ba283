import { z } from 'zod'
import { isLoopbackHost } from './loopback'
import { MQTT_TOPIC_PATTERN, MQTT_TOPIC_RULE } from './mqtt-topic'
import { defaultPortId, PORT_ID_PATTERN } from './port-id'

/** The one schema for everything Serial Bridge persists: headless config files and the app's store. */

const MiB = 1024 * 1024

const filePath = z.string().min(1, 'a file path is required')

/**
 * TLS for the WebSocket server: `"auto"` makes a self-signed certificate on first use (kept in
 * the app's data folder), or PEM files. With TLS the server speaks https/wss only.
 */
export const serverTlsSchema = z.union(
  [z.literal('auto'), z.strictObject({ cert: filePath, key: filePath })],
  { error: 'tls is "auto" or {"cert": FILE, "key": FILE} (PEM files), or null for none' },
)

export const serverSettingsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8765),
  /** Required when `host` is not loopback. Presented as `?token=` or `Authorization: Bearer`. */
  token: z.string().min(8, 'token must be at least 8 characters').nullable().default(null),
  /** Browser origins allowed to connect, e.g. `http://localhost:3000`. Tools without Origin are unaffected. */
  allowedOrigins: z.array(z.string().min(1)).default([]),
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
  /** Protects the admin channel of `--ui` mode; generated at start when null. */
  adminToken: z.string().min(16).nullable().default(null),
  tls: serverTlsSchema.nullable().default(null),
})

export const framingSchema = z.strictObject({
  mode: z.enum(['raw', 'delimiter', 'idle', 'length']).default('delimiter'),
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
  /** The MQTT uplink for this port; absent: published under `ports/{id}` (docs/mqtt.md). */
  mqtt: z
    .strictObject({
      publish: z.boolean().default(true),
      /** Replaces `{topicPrefix}/ports/{id}` as this port's topic base. */
      topic: z.string().max(200).regex(MQTT_TOPIC_PATTERN, MQTT_TOPIC_RULE).optional(),
    })
    .optional(),
})

export const portSettingsSchema = portSettingsObject.transform((p) => ({
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
  })
  .superRefine((s, ctx) => {
    if (!isLoopbackHost(s.server.host) && !s.server.token) {
      ctx.addIssue({
        code: 'custom',
        path: ['server', 'token'],
        message: `a token is required when server.host is "${s.server.host}" (not loopback)`,
      })
    }
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
    })
  })

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

export const defaultSettings = (): Settings => settingsSchema.parse({})
