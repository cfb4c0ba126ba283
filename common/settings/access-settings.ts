import { z } from 'zod'
import { CLIENT_NAME_PATTERN, CLIENT_NAME_RULE } from '../client-name'
import { normalizeOrigin } from '../origin'

/** Who may connect to the server and who may write: tokens and the operator's client rules. */

export const clientNameSchema = z
  .string()
  .regex(CLIENT_NAME_PATTERN, `a client name uses ${CLIENT_NAME_RULE}`)

/** A tool by the name it gives itself (`?client=`), or a web page by its Origin. */
export const clientRuleMatchSchema = z.union(
  [
    z.strictObject({ name: clientNameSchema }),
    z.strictObject({ origin: z.string().min(1).max(2048) }),
  ],
  { error: 'match is {"name": "..."} (the ?client= name of a tool) or {"origin": "..."}' },
)

/** The operator's rule for a tool, kept across its reconnections. */
export const clientRuleSchema = z.strictObject({
  match: clientRuleMatchSchema,
  /** `readOnly`: its writes and queries are refused (FORBIDDEN); `block`: refused at the upgrade (403). */
  action: z.enum(['readOnly', 'block']),
  /** When the rule stops applying (it stays listed, as expired); null: until removed. */
  until: z.iso
    .datetime({
      offset: true,
      error: 'until is an ISO date and time (e.g. "2026-11-20T10:10:00Z") or null',
    })
    .nullable()
    .default(null),
})

/** A token beside `server.token`, with a name the Clients view shows; read-only by default. */
export const accessTokenSchema = z.strictObject({
  token: z.string().min(8, 'token must be at least 8 characters').max(1024),
  name: z.string().trim().min(1, 'name is required, e.g. "dashboard"').max(64),
  readOnly: z.boolean().default(true),
})

export type ClientRule = z.output<typeof clientRuleSchema>
export type ClientRuleMatch = z.output<typeof clientRuleMatchSchema>
export type ClientRuleAction = ClientRule['action']
export type AccessToken = z.output<typeof accessTokenSchema>

/** Two rules with the same key are one rule twice: names without case, origins normalized. */
export function clientRuleKey(match: ClientRuleMatch, action: ClientRuleAction): string {
  const who =
    'name' in match ? `name ${match.name.toLowerCase()}` : `origin ${normalizeOrigin(match.origin)}`
  return `${action} ${who}`
}

/** One entry per token value and per name; one rule per match and action. Errors name the entry. */
export function checkAccessLists(
  server: { token: string | null; tokens: AccessToken[]; clientRules: ClientRule[] },
  ctx: z.RefinementCtx,
) {
  const firstOf = <T>(
    items: T[],
    key: (item: T) => string,
    report: (i: number, j: number) => void,
  ) => {
    const seen = new Map<string, number>()
    items.forEach((item, i) => {
      const k = key(item)
      const j = seen.get(k)
      if (j === undefined) seen.set(k, i)
      else report(i, j)
    })
  }
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['server', ...path], message })
  const { token, tokens, clientRules } = server
  tokens.forEach((t, i) => {
    if (t.token === token) issue(['tokens', i, 'token'], 'the same token as server.token')
  })
  firstOf(
    tokens,
    (t) => t.token,
    (i, j) => issue(['tokens', i, 'token'], `the same token as server.tokens[${j}]`),
  )
  firstOf(
    tokens,
    (t) => t.name.toLowerCase(),
    (i, j) =>
      issue(
        ['tokens', i, 'name'],
        `duplicate name "${tokens[i]!.name}" (also server.tokens[${j}])`,
      ),
  )
  firstOf(
    clientRules,
    (r) => clientRuleKey(r.match, r.action),
    (i, j) =>
      issue(
        ['clientRules', i],
        `the same match and action as server.clientRules[${j}]: keep one of them`,
      ),
  )
}
