import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { networkInterfaces } from 'node:os'
import type { RefusalReason } from '../../../common/engine-api'
import { isLoopbackHost } from '../../../common/loopback'
import { normalizeOrigin } from '../../../common/origin'
import type { ServerSettings } from '../../../common/settings-schema'

export type GuardResult =
  { ok: true } | { ok: false; status: number; reason: RefusalReason; message: string }

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1'])

/** A name or IPv4 address, or an IPv6 address in brackets; then, optionally, `:` and a port. */
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9._-]+))(?::([0-9]{1,5}))?$/

/**
 * `127.0.0.1:8765` → `127.0.0.1`, `[::1]:8765` → `::1`; null for anything else
 * (`[::1]evil.com`, `[::1]:80@evil`, `localhost:evil`), which is then refused as a whole.
 */
export function hostName(hostHeader: string): string | null {
  const match = HOST_HEADER.exec(hostHeader.trim().toLowerCase())
  if (!match || Number(match[3] ?? 0) > 65535) return null
  return match[1] ?? match[2]!
}

function ownAddresses(): Set<string> {
  const out = new Set<string>()
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) out.add(a.address.toLowerCase())
  return out
}

/**
 * A Host header must name this machine: the loopback names, one of its own addresses (when
 * bound to the LAN), or a name configured in `allowedHosts`. Anything else is DNS rebinding.
 */
export function checkHost(hostHeader: string | undefined, settings: ServerSettings): GuardResult {
  const name = hostName(hostHeader ?? '')
  const allowed =
    name !== null &&
    (LOOPBACK_NAMES.has(name) ||
      settings.allowedHosts.some((h) => h.toLowerCase() === name) ||
      (!isLoopbackHost(settings.host) && ownAddresses().has(name)))
  return allowed
    ? { ok: true }
    : {
        ok: false,
        status: 403,
        reason: 'host',
        message: `Host "${hostHeader ?? ''}" is not allowed`,
      }
}

export { normalizeOrigin }

/** Browsers send Origin; tools don't. A browser page must be listed in `allowedOrigins`. */
export function checkOrigin(origin: string | undefined, settings: ServerSettings): GuardResult {
  if (origin === undefined) return { ok: true }
  const o = normalizeOrigin(origin)
  if (settings.allowedOrigins.some((a) => normalizeOrigin(a) === o)) return { ok: true }
  return {
    ok: false,
    status: 403,
    reason: 'origin',
    message: `Origin "${origin}" is not allowed; add it to server.allowedOrigins`,
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest()
}

/** Compares in constant time (hashes first, so the length leaks nothing either). */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected))
}

export function presentedToken(req: IncomingMessage, url: URL, queryKey = 'token'): string | null {
  const auth = req.headers.authorization
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim()
  return url.searchParams.get(queryKey)
}
