import { compileSafePattern } from '../../../common/safe-pattern'
import type { Result } from '../../../common/validation'
import type { ReplyRule } from '../serial/query-queue'
import type { RxFrame } from '../serial/rx-frame'

/** What a `query` (or a poll) says its reply looks like. */
export interface ReplyShape {
  /** RE2 pattern the reply's first frame must match; other frames flow on as data. */
  expect?: string
  /** Frames that make the reply. */
  expectLines?: number
}

/**
 * The query queue's rule for a reply of this shape. Patterns are checked by the message schema
 * already; one that still does not compile is refused here, never thrown.
 */
export function replyRule(shape: ReplyShape): Result<ReplyRule<RxFrame>> {
  const rule: ReplyRule<RxFrame> = {}
  if (shape.expectLines !== undefined) rule.lines = shape.expectLines
  if (shape.expect !== undefined) {
    const pattern = compileSafePattern(shape.expect)
    if (!pattern.ok) return { ok: false, errors: pattern.errors.map((e) => `expect: ${e}`) }
    rule.starts = (frame) => pattern.value.test(frame.text)
    rule.awaited = `no reply matching ${JSON.stringify(shape.expect)}`
  }
  return { ok: true, value: rule }
}
