import type { IncomingMessage } from 'node:http'
import { CONTROL_PATH, PORT_STREAM_PREFIX } from '../../../common/protocol'
import type { ServerSettings } from '../../../common/settings-schema'
import { checkAccess, type ClientAccess } from '../access/client-access'
import type { StreamFormat } from './client'
import type { RequestTarget } from './request-target'
import { streamResume, type StreamResume } from './stream-resume'
import { checkOrigin, type GuardResult } from './upgrade-guard'

/** Which endpoint an admitted client reaches; a JSON stream may resume (`?since=&epoch=`). */
export type Endpoint =
  | { kind: 'control' }
  | { kind: 'stream'; port: string; format: StreamFormat; resume?: StreamResume }

export type Admission =
  { ok: true; endpoint: Endpoint; access: ClientAccess } | Extract<GuardResult, { ok: false }>
type EndpointCheck = { ok: true; endpoint: Endpoint } | Extract<GuardResult, { ok: false }>

export interface AdmissionContext {
  settings: ServerSettings
  hasPort(id: string): boolean
  clientCount: number
  /** Epoch ms, for timed rules. */
  now: number
  /** The server offers `resume` (`?since=` on JSON streams). */
  resumes: boolean
}

const FORMATS: readonly string[] = ['text', 'binary', 'json'] satisfies StreamFormat[]

/**
 * Decides whether a WebSocket upgrade (Host already checked) may connect, in the documented
 * order: Origin, token, client name, block rules, endpoint, format, capacity. The token comes
 * before the path, so a stranger learns nothing about which port ids exist.
 */
export function admit(
  req: IncomingMessage,
  target: RequestTarget,
  ctx: AdmissionContext,
): Admission {
  const { settings } = ctx
  const origin = checkOrigin(req.headers.origin, settings)
  if (!origin.ok) return origin
  const access = checkAccess(req, target.url, settings, ctx.now)
  if (!access.ok) return access
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
  return { ...endpoint, access: access.access }
}

function resolveEndpoint({ url, path }: RequestTarget, ctx: AdmissionContext): EndpointCheck {
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
  const resume = streamResume(url.searchParams, format, ctx.resumes)
  if (!resume.ok) return resume
  const endpoint = { kind: 'stream', port, format: format as StreamFormat } as const
  return { ok: true, endpoint: resume.value ? { ...endpoint, resume: resume.value } : endpoint }
}
