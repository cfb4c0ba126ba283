import { ruleActive } from '../../../common/client-rule-time'
import type { ClientRule } from '../../../common/settings-schema'
import { useBridge } from '../app-state/bridge-context'
import { formatTime } from '../shared/format-time'
import { TableSection } from '../shared/table-section'
import { outcomeOf, useAction } from '../shared/use-action'
import { describeAction, describeMatch } from './rule-text'
import { useExpiryTick } from './use-expiry-tick'

const RULE_COLUMNS = ['Tool', 'Rule', 'Until']

/** The operator's rules by tool name or page origin; expired ones stay until removed. */
export function ClientRulesList({ rules }: { rules: ClientRule[] }) {
  const bridge = useBridge()
  const action = useAction()
  const now = useExpiryTick(rules)

  const remove = (rule: ClientRule) => {
    const what = `${describeMatch(rule.match)} (${describeAction(rule)})`
    return action.run(`Removing the rule for ${what}…`, async () => {
      const r = await bridge.removeClientRule(rule.match, rule.action)
      return outcomeOf(
        r,
        rule.action === 'block'
          ? `${describeMatch(rule.match)} may connect again`
          : `${describeMatch(rule.match)} may write again`,
      )
    })
  }

  return (
    <TableSection
      heading={`Rules (${rules.length})`}
      status={action.status}
      columns={RULE_COLUMNS}
      empty={
        <p className="muted">
          None. A rule keeps a tool read-only or out each time it connects: make one from a
          connected tool above.
        </p>
      }
      rows={rules.map((rule) => {
        const active = ruleActive(rule, now)
        const label = `${describeMatch(rule.match)}, ${describeAction(rule)}`
        return (
          <tr
            key={`${rule.action} ${JSON.stringify(rule.match)}`}
            className={active ? undefined : 'expired'}
          >
            <td>{describeMatch(rule.match)}</td>
            <td>
              <span className={`reason rule-${rule.action}`}>{describeAction(rule)}</span>
            </td>
            <td className="nowrap">
              {rule.until === null ? 'until removed' : formatTime(rule.until, { now })}
              {!active && (
                <>
                  {' '}
                  <span className="badge badge-closed">expired</span>
                </>
              )}
            </td>
            <td>
              <button
                type="button"
                aria-label={`Remove rule: ${label}`}
                onClick={() => void remove(rule)}
              >
                {rule.action === 'block' && active ? 'Allow again' : 'Remove'}
              </button>
            </td>
          </tr>
        )
      })}
    />
  )
}
