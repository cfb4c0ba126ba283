import type { IncomingMessage } from 'node:http'
import { CLIENT_NAME_PATTERN, CLIENT_NAME_RULE } from '../../../common/client-name'
import type { Result } from '../../../common/validation'
import type { ServerSettings } from '../../../common/settings-schema'
import { presentedToken, type GuardResult } from '../server/upgrade-guard'
import { activeRule, blockedMessage } from './client-rules'
import { grantFor, tokenDigest } from './token-grant'

/** Who a client is and what it may do, decided at the upgrade and again when settings change. */
export interface ClientAccess {
  /** From `?client=`. */
  name: string | null
  /** The presented token's SHA-256, to check it again when the tokens change. */
  tokenDigest: Buffer | null
  tokenName: string | null
  tokenReadOnly: boolean
  ruleReadOnly: boolean
}

export type AccessCheck = { ok: true; access: ClientAccess } | Extract<GuardResult, { ok: false }>

/** `?client=NAME`, given at most once; null when absent. */
export function clientNameOf(url: URL): Result<string | null> {
  const given = url.searchParams.getAll('client')
  if (given.length === 0) return { ok: true, value: null }
  if (given.length > 1) return { ok: false, errors: ['give ?client= once'] }
  const name = given[0]!
  return CLIENT_NAME_PATTERN.test(name)
    ? { ok: true, value: name }
    : { ok: false, errors: [`?client= must be a name of ${CLIENT_NAME_RULE}`] }
}

/**
 * The token (401), the client's name (400) and the operator's block rules (403), in that
 * order: a client without the right token learns nothing else.
 */
export function checkAccess(
  req: IncomingMessage,
  url: URL,
  settings: ServerSettings,
  now: number,
): AccessCheck {
  const given = presentedToken(req, url)
  const digest = given === null ? null : tokenDigest(given)
  const grant = grantFor(digest, settings)
  if (!grant) {
    return {
      ok: false,
      status: 401,
      reason: 'token',
      message:
        given === null
          ? 'A token is required (?token=... or Authorization: Bearer)'
          : 'Wrong token',
    }
  }
  const name = clientNameOf(url)
  if (!name.ok) return { ok: false, status: 400, reason: 'client-name', message: name.errors[0]! }
  const who = { name: name.value, origin: req.headers.origin ?? null }
  const block = activeRule(settings.clientRules, who, 'block', now)
  if (block) return { ok: false, status: 403, reason: 'blocked', message: blockedMessage(block) }
  return {
    ok: true,
    access: {
      name: name.value,
      tokenDigest: digest,
      tokenName: grant.tokenName,
      tokenReadOnly: grant.readOnly,
      ruleReadOnly: activeRule(settings.clientRules, who, 'readOnly', now) !== undefined,
    },
  }
}
