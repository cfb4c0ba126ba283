import { CloseCode } from '../../../common/protocol'
import type { ServerSettings } from '../../../common/settings-schema'
import type { Client } from '../server/client'
import { nextExpiry } from '../../../common/client-rule-time'
import { activeRule } from './client-rules'
import { grantFor } from './token-grant'

export interface AccessEnforcerDeps {
  clients(): Iterable<Client>
  settings(): ServerSettings
  now(): number
  /** A client's read-only state or token name changed: the registry tells its listeners. */
  changed(): void
}

/** setTimeout takes at most 2^31-1 ms; a rule further away is looked at again before then. */
const MAX_WAIT_MS = 60 * 60 * 1000

export const CLOSE_REASON = {
  token: 'token no longer valid',
  blocked: 'blocked by the operator',
} as const

/**
 * Holds connected clients to the settings as they are now: a token removed or a block rule
 * added disconnects them (1008), a read-only rule or token flips them at once. It looks again
 * when the next timed rule expires, so an expired read-only rule lets its clients write again.
 */
export class AccessEnforcer {
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly deps: AccessEnforcerDeps) {}

  /** Call whenever the settings in force change (and once at start, to arm the expiry timer). */
  apply(): void {
    const settings = this.deps.settings()
    const now = this.deps.now()
    let changed = false
    for (const client of this.deps.clients()) {
      const grant = grantFor(client.meta.tokenDigest, settings)
      if (!grant) {
        client.closeAndForget(CloseCode.policy, CLOSE_REASON.token)
        continue
      }
      const who = { name: client.meta.name, origin: client.meta.origin }
      if (activeRule(settings.clientRules, who, 'block', now)) {
        client.closeAndForget(CloseCode.policy, CLOSE_REASON.blocked)
        continue
      }
      const ruleReadOnly = activeRule(settings.clientRules, who, 'readOnly', now) !== undefined
      if (
        client.tokenReadOnly !== grant.readOnly ||
        client.tokenName !== grant.tokenName ||
        client.ruleReadOnly !== ruleReadOnly
      ) {
        client.tokenReadOnly = grant.readOnly
        client.tokenName = grant.tokenName
        client.ruleReadOnly = ruleReadOnly
        changed = true
      }
    }
    if (changed) this.deps.changed()
    this.schedule(nextExpiry(settings.clientRules, now), now)
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(at: number | null, now: number): void {
    this.stop()
    if (at === null) return
    this.timer = setTimeout(() => this.apply(), Math.min(at - now + 1, MAX_WAIT_MS))
    this.timer.unref()
  }
}
