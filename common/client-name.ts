/**
 * A tool names itself with `?client=NAME` so the operator can recognise it and keep a rule for
 * it. The name is what the tool says it is, not a proof: tokens are what keep a stranger out.
 * URL-safe like a port id, so it never needs escaping in a URL or in settings.
 */
export const CLIENT_NAME_PATTERN = /^[A-Za-z0-9._~-]{1,64}$/

export const CLIENT_NAME_RULE = 'letters, digits and . _ ~ - (1 to 64 of them)'

/** Names match without regard to case: `Lab-Script` and `lab-script` are one tool. */
export function sameClientName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}
