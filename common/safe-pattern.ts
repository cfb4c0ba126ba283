import { RE2JS } from 're2js'
import type { Result } from './validation'

/**
 * A regular expression from outside (a client's `expect`, a port's `parse.pattern`), matched in
 * linear time by RE2, so no pattern and no serial line can stall the engine (no catastrophic
 * backtracking). RE2 syntax: no lookaround or backreferences; named groups as `(?<name>...)`.
 */
export interface SafePattern {
  readonly source: string
  test(text: string): boolean
  /** The named groups of the first match, or null when it does not match. */
  groups(text: string): Record<string, string | undefined> | null
  readonly groupNames: readonly string[]
}

export function compileSafePattern(source: string): Result<SafePattern> {
  let compiled: RE2JS
  try {
    compiled = RE2JS.compile(source)
  } catch (error) {
    return { ok: false, errors: [`does not compile: ${(error as Error).message}`] }
  }
  const groupNames = Object.keys(compiled.namedGroups())
  return {
    ok: true,
    value: {
      source,
      groupNames,
      test: (text) => compiled.matcher(text).find(),
      groups(text) {
        const m = compiled.matcher(text)
        if (!m.find()) return null
        return Object.fromEntries(groupNames.map((n) => [n, m.group(n) ?? undefined]))
      },
    },
  }
}
