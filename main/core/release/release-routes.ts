import { releaseRequestSchema, releasedAnswerSchema } from '../../../common/rest/release-schemas'
import { answerOf, restRequester, restRoute, type RestRoute } from '../rest/rest-route'
import type { ReleaseRequest } from './release-request'

/** The REST API's release route (feature `release`): the `release` message, same rules. */
export function releaseRoutes(release: ReleaseRequest): RestRoute[] {
  return [
    restRoute({
      id: 'releasePort',
      method: 'POST',
      path: '/ports/{id}/release',
      summary:
        'Closes the port for another program, for `seconds` or (null) until it is opened; ' +
        'it then opens by itself',
      acts: true,
      body: { schema: releaseRequestSchema },
      answer: releasedAnswerSchema,
      errors: ['UNKNOWN_PORT', 'PORT_NOT_OPEN'],
      async handle({ params, body, caller }) {
        const message = { type: 'release' as const, port: params.id!, ...body }
        return answerOf(await release(message, restRequester(caller)))
      },
    }),
  ]
}
