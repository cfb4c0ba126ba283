import { epochSchema } from '../../../common/protocol'
import type { GuardResult } from './upgrade-guard'

/** Where a JSON port stream resumes: after `since`, counted in `epoch` (feature `resume`). */
export interface StreamResume {
  since: number
  epoch: string
}

const SEQ = /^(0|[1-9][0-9]{0,15})$/

/** `?since=SEQ&epoch=E` (feature `resume`): JSON streams only, where a `gap` can be said. */
export function streamResume(
  query: URLSearchParams,
  format: string,
  resumes: boolean,
): { ok: true; value: StreamResume | null } | Extract<GuardResult, { ok: false }> {
  const since = query.getAll('since')
  const epoch = query.getAll('epoch')
  const bad = (message: string) =>
    ({ ok: false, status: 400, reason: 'bad-request', message }) as const
  if (since.length === 0 && epoch.length === 0) return { ok: true, value: null }
  if (!resumes) return bad('since: this server does not offer "resume"')
  if (format !== 'json')
    return bad('since and epoch need format=json (a text or binary stream cannot carry a gap)')
  if (since.length !== 1 || epoch.length !== 1)
    return bad('give since and epoch once each: ?format=json&since=SEQ&epoch=EPOCH')
  const seq = since[0]!
  if (!SEQ.test(seq) || !Number.isSafeInteger(Number(seq)))
    return bad(`since must be a seq number (0, 1, 2, ...), not "${seq.slice(0, 40)}"`)
  const parsed = epochSchema.safeParse(epoch[0])
  if (!parsed.success) return bad('epoch must be hello.epoch as given (1 to 64 characters)')
  return { ok: true, value: { since: Number(seq), epoch: parsed.data } }
}
