import { createHash, timingSafeEqual } from 'node:crypto'
import type { ServerSettings } from '../../../common/settings-schema'

/** What a presented token lets a client do. `tokenName` is the `server.tokens` entry's name. */
export interface TokenGrant {
  readOnly: boolean
  tokenName: string | null
}

/**
 * A presented token is kept as its SHA-256 only: enough to check it again when the tokens
 * change, and comparing digests takes the same time whatever the lengths.
 */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}

const OPEN: TokenGrant = { readOnly: false, tokenName: null }

interface Digests {
  main: Buffer | null
  others: Array<{ digest: Buffer; grant: TokenGrant }>
}
/** Settings objects are replaced, never changed, so their digests can be kept beside them. */
const digestsOf = new WeakMap<ServerSettings, Digests>()

function digests(server: ServerSettings): Digests {
  let d = digestsOf.get(server)
  if (!d) {
    d = {
      main: server.token ? tokenDigest(server.token) : null,
      others: server.tokens.map((t) => ({
        digest: tokenDigest(t.token),
        grant: { readOnly: t.readOnly, tokenName: t.name },
      })),
    }
    digestsOf.set(server, d)
  }
  return d
}

/** True when any token is configured: then every client must present one of them. */
export function tokenRequired(server: ServerSettings): boolean {
  return server.token !== null || server.tokens.length > 0
}

/**
 * Which token the digest is, or null when it is none of them. With no token configured every
 * client is admitted with full access. Every token is compared, so the time does not say which.
 */
export function grantFor(presented: Buffer | null, server: ServerSettings): TokenGrant | null {
  if (!tokenRequired(server)) return OPEN
  if (presented === null) return null
  const { main, others } = digests(server)
  let grant: TokenGrant | null = main && timingSafeEqual(presented, main) ? OPEN : null
  for (const t of others) if (timingSafeEqual(presented, t.digest)) grant ??= t.grant
  return grant
}
