import type { Result } from '../../../common/validation'
import type { Client } from '../server/client'

/**
 * The operator's Read-only tick, for this connection only. Unticking cannot undo a read-only
 * token or rule, which outlast the connection: the answer says which one holds it.
 */
export function setOperatorReadOnly(client: Client, readOnly: boolean): Result {
  client.operatorReadOnly = readOnly
  if (readOnly || !client.readOnly) return { ok: true, value: undefined }
  const why = client.tokenReadOnly
    ? `it presented the read-only token "${client.tokenName}"`
    : 'a read-only rule matches it: remove the rule to let it write'
  return { ok: false, errors: [`${client.id} stays read-only: ${why}`] }
}
