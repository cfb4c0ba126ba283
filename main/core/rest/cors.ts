import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { ServerSettings } from '../../../common/settings-schema'
import { checkOrigin } from '../server/upgrade-guard'

/** How long a browser may keep a preflight's answer. */
const PREFLIGHT_MAX_AGE_S = 600

/**
 * The CORS headers for a request from a browser page whose origin is allowed
 * (`server.allowedOrigins`); none for other origins (they are refused anyway) or tools.
 */
export function corsHeaders(req: IncomingMessage, settings: ServerSettings): OutgoingHttpHeaders {
  const origin = req.headers.origin
  if (origin === undefined || !checkOrigin(origin, settings).ok) return {}
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'Retry-After',
    vary: 'Origin',
  }
}

/**
 * Answers a preflight (`OPTIONS`, its Origin allowed or absent) for a route that answers
 * `methods`: 204 with what the page may send (a token in `Authorization`, JSON bodies).
 * Chrome also asks before a public page reaches the loopback (Private Network Access).
 */
export function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  settings: ServerSettings,
  methods: readonly string[],
): void {
  const allow = [...methods, 'OPTIONS'].join(', ')
  const cors = corsHeaders(req, settings)
  const headers: OutgoingHttpHeaders = { allow, 'content-length': 0, vary: 'Origin', ...cors }
  if (cors['access-control-allow-origin'] !== undefined) {
    headers['access-control-allow-methods'] = allow
    headers['access-control-allow-headers'] = 'Authorization, Content-Type'
    headers['access-control-max-age'] = String(PREFLIGHT_MAX_AGE_S)
    if (req.headers['access-control-request-private-network'] === 'true')
      headers['access-control-allow-private-network'] = 'true'
  }
  res.writeHead(204, headers).end()
}
