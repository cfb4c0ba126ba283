import type { QueryReply, QueryRequest } from '../../../common/contract'
import type { Result } from '../../../common/validation'
import type { ParseSettings } from '../../../common/values/parse-settings'
import { useBridge } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { useAction } from '../shared/use-action'
import { wholeNumber } from './draft-text'
import { describeValues, parseFrameText } from './frame-values'
import type { PollDraft } from './poll-draft'

/** The poll as one `queryPort` request: text with the terminator, or its bytes as hex. */
export function tryRequest(
  poll: PollDraft,
  port: string,
  writeTerminator: string,
): Result<QueryRequest> {
  const timeoutMs = wholeNumber(poll.timeoutMs)
  if (timeoutMs === null) return { ok: false, errors: ['type the timeout in whole milliseconds'] }
  const asked = { port, timeoutMs, ...(poll.expect ? { expect: poll.expect } : {}) }
  if (poll.encoding === 'utf8')
    return {
      ok: true,
      value: { ...asked, data: poll.command, format: 'text', terminator: writeTerminator },
    }
  let data = poll.command
  if (poll.encoding === 'base64') {
    try {
      data = [...atob(poll.command.trim())]
        .map((c) => c.charCodeAt(0).toString(16).padStart(2, '0'))
        .join(' ')
    } catch {
      return { ok: false, errors: ['the command is not valid base64'] }
    }
  }
  return { ok: true, value: { ...asked, data, format: 'hex', terminator: '' } }
}

/** `"V=12.5" → volt = 12.5 V`: the reply's lines and the numbers the Numbers section reads. */
export function replyText(
  reply: QueryReply,
  pollName: string,
  parse: ParseSettings | null,
): string {
  const lines = reply.lines.map((line) => {
    const shown = JSON.stringify(line.replace(/[\r\n]+$/, ''))
    const parsed = parse ? parseFrameText(parse, line, pollName) : null
    return parsed ? `${shown} → ${describeValues(parsed)}` : shown
  })
  return `Reply in ${reply.ms} ms: ${lines.join(', ')}`
}

export interface PollTryProps {
  poll: PollDraft
  portId: string | null
  writeTerminator: string
  parse: ParseSettings | null
}

/**
 * "Try it": sends the poll's command once through the port's query queue (so it never takes a
 * running poll's answer) and shows the reply, or why there was none, in words.
 */
export function PollTry({ poll, portId, writeTerminator, parse }: PollTryProps) {
  const bridge = useBridge()
  const action = useAction()
  const label = poll.command || 'the command'
  const tryIt = (port: string) =>
    action.run(`Sending ${label}…`, async () => {
      const request = tryRequest(poll, port, writeTerminator)
      if (!request.ok) return { ok: false, text: `${label}: ${request.errors.join('; ')}` }
      const reply = await bridge.queryPort(request.value)
      if (!reply.ok) return { ok: false, text: `${label}: ${reply.errors.join('; ')}` }
      return { ok: true, text: replyText(reply.value, poll.name.trim(), parse) }
    })
  return (
    <>
      <button
        type="button"
        disabled={portId === null || !poll.command || action.busy}
        title={portId === null ? 'Add the port first, then try its polls' : undefined}
        onClick={() => portId !== null && void tryIt(portId)}
      >
        Try it
      </button>
      <ActionMessage status={action.status} />
    </>
  )
}
