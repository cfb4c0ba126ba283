import { useEffect, useState } from 'react'
import { nextExpiry } from '../../../common/client-rule-time'
import type { ClientRule } from '../../../common/settings-schema'

/** Longest wait setTimeout takes is 2^31-1 ms; a later expiry is looked at again before then. */
const MAX_WAIT_MS = 60 * 60 * 1000

/** The time now, renewed when the next of these rules expires, so "expired" shows on time. */
export function useExpiryTick(rules: readonly ClientRule[]): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const next = nextExpiry(rules, now)
    if (next === null) return
    const timer = setTimeout(() => setNow(Date.now()), Math.min(next - now + 1, MAX_WAIT_MS))
    return () => clearTimeout(timer)
  }, [rules, now])
  return now
}
