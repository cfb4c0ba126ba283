import { z } from 'zod'
import { normalizeOrigin } from '../origin'
import { accessTokenSchema, clientRuleSchema } from './access-settings'
import { filePath, MiB } from './settings-fields'

/** The `server` section: the listener, who may connect, and the bounds on what clients may queue. */

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

export type ServerSettings = z.output<typeof serverSettingsSchema>
export type ServerTls = z.output<typeof serverTlsSchema>
