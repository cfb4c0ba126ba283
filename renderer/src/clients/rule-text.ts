import type { ClientInfo } from '../../../common/engine-api'
import type { ClientRule, ClientRuleMatch } from '../../../common/settings-schema'

/** What a rule for this client can hold on to: its name if it gave one, else its web page. */
export function ruleMatchOf(client: ClientInfo): ClientRuleMatch | null {
  if (client.name !== null) return { name: client.name }
  if (client.origin !== null) return { origin: client.origin }
  return null
}

/** `tool "lab-script"` or `page http://dashboard.lab:3000`. */
export function describeMatch(match: ClientRuleMatch): string {
  return 'name' in match ? `tool "${match.name}"` : `page ${match.origin}`
}

export function describeAction(rule: Pick<ClientRule, 'action'>): string {
  return rule.action === 'block' ? 'blocked' : 'read-only'
}
