import { z } from 'zod'
import { isLoopbackHost } from './loopback'
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
    })
  })

export type Settings = z.output<typeof settingsSchema>
export type SettingsInput = z.input<typeof settingsSchema>
export type ServerSettings = z.output<typeof serverSettingsSchema>
export type PortSettings = z.output<typeof portSettingsSchema>
export type PortSettingsInput = z.input<typeof portSettingsSchema>
export type Framing = z.output<typeof framingSchema>
export type PortMatch = z.output<typeof matchSchema>

export const defaultSettings = (): Settings => settingsSchema.parse({})
