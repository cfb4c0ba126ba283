import type { z } from 'zod'
import type { ServerMessage } from '../../../common/protocol'
import type { RestErrorCode } from '../../../common/rest/rest-schemas'

/** Who is calling, as the REST API's access rules decided. */
export interface RestCaller {
  /** From `?client=`; null when the caller gave none. */
  name: string | null
  /** Its writes and queries are refused (a read-only token or rule). */
  readOnly: boolean
  /** Whose `server.maxMessagesPerSecond` budget its requests spend. */
  budgetKey: string
}

export interface RestRequest<Body = unknown> {
  /** Path parameters by name, decoded: `{id}` of `/ports/{id}`. */
  params: Record<string, string>
  /** Checked by the route's body schema (a text body is `{ data: text }` first). */
  body: Body
  caller: RestCaller
  /**
   * Owns what the request queued on a port: when the caller goes away before its answer, what
   * it left waiting is dropped, never written (instruments have side effects).
   */
  owner: object
}

/**
 * One route of the REST API under /api/v1. The engine's own routes and each capability's
 * (`Capability.routes`) are described by these, so openapi.json lists every route the
 * server answers, with the schemas that check it.
 */
export interface RestRoute<Body = unknown> {
  /** Its operationId in openapi.json: a name for generated clients, e.g. `writePort`. */
  id: string
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Under /api/v1, with `{name}` for a parameter: `/ports/{id}/write`. */
  path: string
  summary: string
  /** Acts on a port: refused to read-only callers (403) and counted by the rate limit (429). */
  acts: boolean
  /** The JSON body it takes; with `text`, a body that is not JSON is `{ data: body }`. */
  body?: { schema: z.ZodType<Body>; text?: string }
  /** The answer's schema, registered in `restSchemas` (openapi.json names it). */
  answer: z.ZodType
  /** The error codes it answers with, besides those of every route. */
  errors: readonly RestErrorCode[]
  handle(request: RestRequest<Body>): Promise<unknown> | unknown
}

/** Keeps a route's body type with its handler (a table of routes is of `RestRoute`). */
export function restRoute<Body>(route: RestRoute<Body>): RestRoute {
  return route as RestRoute
}

/** An answer other than 200: the code's status (STATUS_OF in rest-answer.ts) and a sentence for people. */
export class RestError extends Error {
  constructor(
    readonly code: RestErrorCode,
    message: string,
    /** For RATE_LIMITED: when to try again. */
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
}

/**
 * The caller as a capability's control-message handlers see a client. Its id is never a
 * WebSocket client's (c1, c2, ...), so it owns no client's poll.
 */
export function restRequester(caller: RestCaller): { id: string; readOnly: boolean } {
  return { id: caller.name === null ? 'rest' : `rest:${caller.name}`, readOnly: caller.readOnly }
}

/**
 * A control message's answer (from the capability's handler) as a route's: an `error` is
 * thrown as a RestError with the same code and words, anything else loses `type` and `id`.
 */
export function answerOf<M extends ServerMessage>(
  answer: M,
): Omit<Exclude<M, { type: 'error' }>, 'type' | 'id'> {
  if (answer.type === 'error') throw new RestError(answer.code, answer.message)
  const { type: _type, id: _id, ...fields } = answer as { type: string; id?: unknown }
  return fields as Omit<Exclude<M, { type: 'error' }>, 'type' | 'id'>
}
