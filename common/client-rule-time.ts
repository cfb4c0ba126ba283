import type { ClientRule } from './settings-schema'

/** An expired rule stays in the settings (shown as expired) but no longer applies. */
export function ruleActive(rule: ClientRule, now: number): boolean {
  return rule.until === null || Date.parse(rule.until) > now
}

/** When the next rule stops applying (epoch ms), or null when none will. */
export function nextExpiry(rules: readonly ClientRule[], now: number): number | null {
  let next: number | null = null
  for (const r of rules) {
    if (r.until === null) continue
    const at = Date.parse(r.until)
    if (at > now && (next === null || at < next)) next = at
  }
  return next
}
