import type { ServerOptions } from 'node:http'

/**
 * An incomplete request is answered 408 and closed within seconds, not Node's default minute
 * (checked only every 30 s: half-sent requests were held 78 s). Every request here is tiny: an
 * upgrade, a static file, an admin call.
 */
export const HTTP_TIMEOUTS = {
  headersTimeout: 5000,
  requestTimeout: 10_000,
  connectionsCheckingInterval: 1000,
} as const satisfies ServerOptions
