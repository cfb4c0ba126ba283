import { useCallback, useEffect, useRef, useState } from 'react'
import type { Result } from '../../../common/validation'

/** What the user sees of an action: "Opening COM3…", then the result in words. */
export interface ActionStatus {
  kind: 'busy' | 'done' | 'failed'
  text: string
}

export interface Outcome {
  ok: boolean
  text: string
}

/** An operation's result in words: `done` when it worked, else its errors. */
export function outcomeOf(result: Result<unknown>, done: string): Outcome {
  return result.ok ? { ok: true, text: done } : { ok: false, text: result.errors.join('; ') }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Runs one action at a time and keeps its progress/result message. A success message says
 * how things are ("COM3 is open"), so it goes away when `resetKey` (what it describes, e.g.
 * the port's state) changes afterwards; failures stay until the next action.
 */
export function useAction(resetKey?: unknown): {
  status: ActionStatus | null
  busy: boolean
  run: (progress: string, action: () => Promise<Outcome>) => Promise<boolean>
  clear: () => void
  show: (status: ActionStatus) => void
  /** New words for the action under way ("checking what was saved…"). */
  progress: (text: string) => void
} {
  const [status, setStatus] = useState<ActionStatus | null>(null)
  const latest = useRef(0)
  const run = useCallback(async (progress: string, action: () => Promise<Outcome>) => {
    const id = ++latest.current
    setStatus({ kind: 'busy', text: progress })
    let outcome: Outcome
    try {
      outcome = await action()
    } catch (error) {
      outcome = { ok: false, text: errorText(error) }
    }
    if (id === latest.current)
      setStatus({ kind: outcome.ok ? 'done' : 'failed', text: outcome.text })
    return outcome.ok
  }, [])
  const clear = useCallback(() => setStatus(null), [])
  const show = useCallback((next: ActionStatus) => {
    latest.current += 1
    setStatus(next)
  }, [])
  const key = JSON.stringify(resetKey ?? null)
  // The key the success message was first shown with: the change an action makes itself may
  // arrive in the same render as its message, and must not clear it.
  const shownWith = useRef<string | null>(null)
  useEffect(() => {
    if (status?.kind !== 'done') shownWith.current = null
    else if (shownWith.current === null) shownWith.current = key
    else if (shownWith.current !== key) setStatus(null)
  }, [key, status])
  const progress = useCallback((text: string) => setStatus({ kind: 'busy', text }), [])
  return { status, busy: status?.kind === 'busy', run, clear, show, progress }
}
