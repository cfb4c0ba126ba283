import { sameClientName } from '../../../common/client-name'
import { ruleActive } from '../../../common/client-rule-time'
import { normalizeOrigin } from '../../../common/origin'
import type { ClientRule, ClientRuleAction } from '../../../common/settings-schema'

/** What a rule can recognise a client by. */
export interface ClientIdentity {
  /** From `?client=`; null when the tool did not name itself. */
  name: string | null
  origin: string | null
}

export function ruleMatches(rule: ClientRule, who: ClientIdentity): boolean {
  if ('name' in rule.match) return who.name !== null && sameClientName(rule.match.name, who.name)
  return who.origin !== null && normalizeOrigin(who.origin) === normalizeOrigin(rule.match.origin)
}

export function activeRule(
  rules: readonly ClientRule[],
  who: ClientIdentity,
  action: ClientRuleAction,
  now: number,
): ClientRule | undefined {
  return rules.find((r) => r.action === action && ruleActive(r, now) && ruleMatches(r, who))
}

/** The sentence a blocked client reads in the 403 body. */
export function blockedMessage(rule: ClientRule): string {
  const what =
    'name' in rule.match ? `client name "${rule.match.name}"` : `origin "${rule.match.origin}"`
  const until = rule.until === null ? 'until the operator allows it again' : `until ${rule.until}`
  return `Blocked by the operator (${what}), ${until}`
}
