import type { IncomingMessage } from 'node:http'
import { CONTROL_PATH, PORT_STREAM_PREFIX } from '../../../common/protocol'
import type { ServerSettings } from '../../../common/settings-schema'
import type { StreamFormat } from './client'
import type { RequestTarget } from './request-target'
import { checkOrigin, checkToken, presentedToken, type GuardResult } from './upgrade-guard'

/** Which endpoint an admitted client reaches. */
export type Endpoint = { kind: 'control' } | { kind: 'stream'; port: string; format: StreamFormat }

export type Admission = { ok: true; endpoint: Endpoint } | Extract<GuardResult, { ok: false }>

export interface AdmissionContext {
  settings: ServerSettings
  hasPort(id: string): boolean
  clientCount: number
}

const FORMATS: readonly string[] = ['text', 'binary', 'json'] satisfies StreamFormat[]

/**
 * Decides whether a WebSocket upgrade (Host already checked) may connect, in the documented
 * order: Origin, token, endpoint, format, capacity. The token comes before the path, so a
 * stranger learns nothing about which port ids exist.
 */
export function admit(
  req: IncomingMessage,
  target: RequestTarget,
  ctx: AdmissionContext,
): Admission {
  const { settings } = ctx
  const origin = checkOrigin(req.headers.origin, settings)
  if (!origin.ok) return origin
  const token = checkToken(presentedToken(req, target.url), settings.token)
  if (!token.ok) return token
  const endpoint = resolveEndpoint(target, ctx)
  if (!endpoint.ok) return endpoint
  if (ctx.clientCount >= settings.maxClients) {
    return {
      ok: false,
      status: 503,
      reason: 'capacity',
      message: `Too many clients (${settings.maxClients})`,
    }
  }
  return endpoint
}

function resolveEndpoint({ url, path }: RequestTarget, ctx: AdmissionContext): Admission {
  if (path === CONTROL_PATH) return { ok: true, endpoint: { kind: 'control' } }
  const port = path.startsWith(PORT_STREAM_PREFIX) ? path.slice(PORT_STREAM_PREFIX.length) : null
  if (port === null || !ctx.hasPort(port)) {
    return { ok: false, status: 404, reason: 'not-found', message: `No endpoint ${url.pathname}` }
  }
  const format = url.searchParams.get('format') ?? 'text'
  if (!FORMATS.includes(format)) {
    return {
      ok: false,
      status: 400,
      reason: 'not-found',
      message: 'format must be text, binary or json',
    }
  }
  return { ok: true, endpoint: { kind: 'stream', port, format: format as StreamFormat } }
}
