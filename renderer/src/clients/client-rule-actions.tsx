import type { ClientRuleRequest } from '../../../common/contract'
import type { ClientInfo } from '../../../common/engine-api'
import { useBridge } from '../app-state/bridge-context'
import type { useAction } from '../shared/use-action'
import { outcomeOf } from '../shared/use-action'
import { describeMatch, ruleMatchOf } from './rule-text'

const TEN_MINUTES = 600

/**
 * Rules made from one connected tool, by the name it gave itself or else its page's origin:
 * they hold for every connection that matches, now and when it comes back.
 */
export function ClientRuleActions({
  client,
  action,
}: {
  client: ClientInfo
  /** The Clients table's action status, so the outcome shows above the table. */
  action: ReturnType<typeof useAction>
}) {
  const bridge = useBridge()
  const match = ruleMatchOf(client)
  if (!match) {
    return (
      <span className="muted hint">
        No name or origin to make a rule for: the tool can add <code>?client=NAME</code>
      </span>
    )
  }
  const who = describeMatch(match)
  const ruled = client.readOnlyBy.includes('rule')
  const add = (request: Omit<ClientRuleRequest, 'match'>, done: string) =>
    action.run(`Adding a rule for ${who}…`, async () =>
      outcomeOf(await bridge.addClientRule({ match, ...request }), done),
    )
  return (
    <span className="inline rule-actions">
      <button
        type="button"
        aria-label={`Always read-only for ${client.id}`}
        disabled={ruled}
        title={
          ruled
            ? 'A read-only rule already holds this tool'
            : `Every connection of ${who} is read-only, now and when it reconnects`
        }
        onClick={() =>
          void add(
            { action: 'readOnly', seconds: null },
            `${who} is read-only now and each time it connects`,
          )
        }
      >
        Always read-only
      </button>
      <button
        type="button"
        className="danger"
        aria-label={`Block ${client.id} for 10 min`}
        title={`Disconnects ${who} and refuses it for 10 minutes`}
        onClick={() =>
          void add(
            { action: 'block', seconds: TEN_MINUTES },
            `${who} is blocked for 10 minutes: disconnected, and refused until then`,
          )
        }
      >
        Block for 10 min
      </button>
      <button
        type="button"
        className="danger"
        aria-label={`Block ${client.id} until allowed`}
        title={`Disconnects ${who} and refuses it until you remove the rule`}
        onClick={() =>
          void add(
            { action: 'block', seconds: null },
            `${who} is blocked until you allow it again under Rules`,
          )
        }
      >
        Block until allowed
      </button>
    </span>
  )
}
