import type { RefusalReason, RefusedConnection } from '../../../common/engine-api'

/** The attempts of one origin refused for one reason: a tool retrying is one row, not fifty. */
export interface RefusedGroup {
  key: string
  reason: RefusalReason
  origin: string | null
  count: number
  /** ISO times of the newest and the oldest attempt kept. */
  last: string
  first: string
  remoteAddresses: string[]
  endpoints: string[]
  /** What the newest attempt was told. */
  message: string
}

/** Groups attempts (any order) by origin and reason, the group seen most recently first. */
export function groupRefused(refused: readonly RefusedConnection[]): RefusedGroup[] {
  const groups = new Map<string, RefusedGroup>()
  const add = <T>(list: T[], item: T) => (list.includes(item) ? list : [...list, item])
  for (const r of refused) {
    const key = `${r.reason}\u0000${r.origin ?? ''}`
    const g = groups.get(key)
    if (!g) {
      groups.set(key, {
        key,
        reason: r.reason,
        origin: r.origin,
        count: 1,
        last: r.at,
        first: r.at,
        remoteAddresses: [r.remoteAddress],
        endpoints: [r.endpoint],
        message: r.message,
      })
      continue
    }
    g.count += 1
    g.remoteAddresses = add(g.remoteAddresses, r.remoteAddress)
    g.endpoints = add(g.endpoints, r.endpoint)
    if (r.at > g.last) {
      g.last = r.at
      g.message = r.message
    }
    if (r.at < g.first) g.first = r.at
  }
  return [...groups.values()].sort((a, b) => b.last.localeCompare(a.last))
}
