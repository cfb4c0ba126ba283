import type { IncomingMessage } from 'node:http'
import type { ServerSettings } from '../../../common/settings-schema'
import { checkAccess } from '../access/client-access'
import { checkOrigin } from '../server/upgrade-guard'
import type { RestCaller } from './rest-route'
import { RestError } from './rest-route'

const CODE_OF_STATUS: Record<number, 'UNAUTHORIZED' | 'FORBIDDEN' | 'BAD_MESSAGE'> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  400: 'BAD_MESSAGE',
}

/**
 * The WebSocket endpoints' rules, for one request (Host was checked by the server): Origin,
 * token (`Authorization: Bearer` or `?token=`), the `?client=` name, the operator's block and
 * read-only rules. Throws the refusal as a RestError.
 */
export function restCaller(
  req: IncomingMessage,
  url: URL,
  settings: ServerSettings,
  now: number,
): RestCaller {
  const origin = checkOrigin(req.headers.origin, settings)
  if (!origin.ok) throw new RestError('FORBIDDEN', origin.message)
  const access = checkAccess(req, url, settings, now)
  if (!access.ok) throw new RestError(CODE_OF_STATUS[access.status] ?? 'FORBIDDEN', access.message)
  const { name, tokenDigest, tokenReadOnly, ruleReadOnly } = access.access
  // One budget per named tool; unnamed callers share one per address and token.
  const who = name !== null ? `name ${name.toLowerCase()}` : `address ${req.socket.remoteAddress}`
  const token = tokenDigest ? tokenDigest.toString('hex').slice(0, 16) : '-'
  return { name, readOnly: tokenReadOnly || ruleReadOnly, budgetKey: `${who} ${token}` }
}
