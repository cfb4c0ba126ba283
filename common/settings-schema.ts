import { z } from 'zod'
import { isLoopbackHost } from './loopback'
import { defaultPortId, PORT_ID_PATTERN } from './port-id'
import { SIM_REPLAY_PATH } from './sim-paths'

/** The one schema for everything Serial Bridge persists: headless config files and the app's store. */

const MiB = 1024 * 1024

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
  record: recordSettingsSchema.default(() => recordSettingsSchema.parse({})),
  /** Required for path `sim:replay`, ignored otherwise. */
  replay: replaySettingsSchema.optional(),
})

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

export const settingsSchema = z
  .strictObject({
    server: serverSettingsSchema.default(() => serverSettingsSchema.parse({})),
    ports: z.array(portSettingsSchema).default([]),
    recording: recordingSettingsSchema.default(() => recordingSettingsSchema.parse({})),
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
export type PortMatch = z.output<typeof matchSchema>
export type RecordSettings = z.output<typeof recordSettingsSchema>
export type ReplaySettings = z.output<typeof replaySettingsSchema>
export type RecordingSettings = z.output<typeof recordingSettingsSchema>

export const defaultSettings = (): Settings => settingsSchema.parse({})
