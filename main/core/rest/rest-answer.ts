import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { RestErrorCode } from '../../../common/rest/rest-schemas'
import type { RestError } from './rest-route'

/** The HTTP status that answers each error code. */
export const STATUS_OF: Record<RestErrorCode, number> = {
  BAD_MESSAGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  UNKNOWN_PORT: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PORT_NOT_OPEN: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  BUSY: 503,
  INTERNAL: 500,
  TIMEOUT: 504,
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
}

/** Sends `body` as JSON; `headers` add to (and win over) the API's own. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...JSON_HEADERS,
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** `{"error":{"code","message"}}` with the code's status (and `Retry-After` for 429). */
export function sendError(
  res: ServerResponse,
  error: RestError,
  headers: OutgoingHttpHeaders = {},
): void {
  const extra: OutgoingHttpHeaders = { ...headers }
  if (error.retryAfterMs !== undefined) {
    // Whole seconds (RFC 9110), at least one.
    extra['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)))
  }
  const body = { error: { code: error.code, message: error.message } }
  sendJson(res, STATUS_OF[error.code], body, extra)
}
