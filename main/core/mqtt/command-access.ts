import type { ClientRule } from '../../../common/settings-schema'
import { activeRule, blockedMessage, type ClientIdentity } from '../access/client-rules'

/**
 * The name the uplink goes by in `server.clientRules` (docs/mqtt.md, Commands): a rule for
 * `{"name": "mqtt"}` holds the broker's commands the way it holds a WebSocket client's.
 */
export const UPLINK_CLIENT: ClientIdentity = { name: 'mqtt', origin: null }

/** Why the operator's rules refuse a command from the broker now; undefined when none does. */
export function commandRefusal(rules: readonly ClientRule[], now: number): string | undefined {
  const block = activeRule(rules, UPLINK_CLIENT, 'block', now)
  if (block) return blockedMessage(block)
  if (activeRule(rules, UPLINK_CLIENT, 'readOnly', now)) {
    return 'the MQTT uplink is read-only (a read-only rule for the client name "mqtt")'
  }
  return undefined
}
