import { stopPollMessageSchema, type PollInfo } from '../../../common/protocol'
import {
  pollRequestSchema,
  pollStartedAnswerSchema,
  pollStoppedAnswerSchema,
  pollsAnswerSchema,
} from '../../../common/rest/poll-schemas'
import { formatIssues } from '../../../common/validation'
import { answerOf, RestError, restRequester, restRoute, type RestRoute } from '../rest/rest-route'
import type { PollRequests } from './poll-requests'

export interface PollRoutesDeps {
  requests: PollRequests
  hasPort(id: string): boolean
  list(port: string): PollInfo[]
}

/**
 * The REST API's poll routes (feature `polls`): `startPoll` and `stopPoll` as the control
 * endpoint answers them, with the same checks and words.
 */
export function pollRoutes({ requests, hasPort, list }: PollRoutesDeps): RestRoute[] {
  return [
    restRoute({
      id: 'listPolls',
      method: 'GET',
      path: '/ports/{id}/polls',
      summary: "The port's polls (its settings' and clients'), with their owner and stats",
      acts: false,
      answer: pollsAnswerSchema,
      errors: ['UNKNOWN_PORT'],
      handle({ params }) {
        const id = params.id!
        if (!hasPort(id)) throw new RestError('UNKNOWN_PORT', `unknown port: ${id}`)
        return { polls: list(id) }
      },
    }),
    restRoute({
      id: 'startPoll',
      method: 'POST',
      path: '/ports/{id}/polls',
      summary:
        "Starts a poll, saved into the port's settings (startPoll with persist: an HTTP " +
        'request has no lifetime to tie it to); one of the same name from the settings is replaced',
      acts: true,
      body: { schema: pollRequestSchema },
      answer: pollStartedAnswerSchema,
      errors: ['UNKNOWN_PORT', 'BUSY'],
      async handle({ params, body, caller }) {
        const message = { type: 'startPoll' as const, port: params.id!, ...body, persist: true }
        return answerOf(await requests.startPoll(message, restRequester(caller)))
      },
    }),
    restRoute({
      id: 'stopPoll',
      method: 'DELETE',
      path: '/ports/{id}/polls/{name}',
      summary:
        "Stops a poll of the port's settings and removes it from them (a WebSocket client's " +
        'poll is its own: 403)',
      acts: true,
      answer: pollStoppedAnswerSchema,
      errors: ['UNKNOWN_PORT'],
      async handle({ params, caller }) {
        const message = stopPollMessageSchema.safeParse({
          type: 'stopPoll',
          port: params.id,
          name: params.name,
        })
        if (!message.success)
          throw new RestError('BAD_MESSAGE', formatIssues(message.error).join('; '))
        return answerOf(await requests.stopPoll(message.data, restRequester(caller)))
      },
    }),
  ]
}
