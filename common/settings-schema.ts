import { z } from 'zod'
import { isLoopbackHost } from './loopback'
import { deviceConflict } from './port-device'
import { defaultPortId, PORT_ID_PATTERN } from './port-id'

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

/** A command kept with its port and sent with one click from the Stream view, e.g. `*IDN?`. */
export const savedCommandSchema = z.strictObject({
  label: z.string().trim().min(1, 'label is required, e.g. "Identify"').max(40),
  /** Text is sent with the port's write terminator; hex is pairs of hex digits, sent as they are. */
  data: z.string().min(1, 'data is required, e.g. "*IDN?"').max(4096),
  format: z.enum(['text', 'hex']).default('text'),
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
  /** Buttons in the Stream view, in this order. */
  commands: z.array(savedCommandSchema).max(50).default([]),
})

export const portSettingsSchema = portSettingsObject.transform((p) => ({
  ...p,
  id: p.id ?? defaultPortId(p.path),
}))

export const settingsSchema = z
  .strictObject({
    server: serverSettingsSchema.default(() => serverSettingsSchema.parse({})),
    ports: z.array(portSettingsSchema).default([]),
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

export type Settings = z.output<typeof settingsSchema>
export type SettingsInput = z.input<typeof settingsSchema>
export type ServerSettings = z.output<typeof serverSettingsSchema>
export type PortSettings = z.output<typeof portSettingsSchema>
export type PortSettingsInput = z.input<typeof portSettingsSchema>
export type Framing = z.output<typeof framingSchema>
export type PortMatch = z.output<typeof matchSchema>
export type SavedCommand = z.output<typeof savedCommandSchema>

export const defaultSettings = (): Settings => settingsSchema.parse({})
