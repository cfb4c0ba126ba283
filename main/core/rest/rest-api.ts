import type { IncomingMessage, ServerResponse } from 'node:http'
import { openApiAnswerSchema, REST_PREFIX } from '../../../common/rest/rest-schemas'
import type { ServerSettings } from '../../../common/settings-schema'
import { formatIssues } from '../../../common/validation'
import type { FaultLog } from '../fault-log'
import { messageBudget } from '../rate-limit/message-budgets'
import type { PortManager } from '../serial/port-manager'
import type { RxFrame } from '../serial/rx-frame'
import type { ServerExtension } from '../server/bridge-server'
import { checkOrigin } from '../server/upgrade-guard'
import type { RequestTarget } from '../server/request-target'
import { answerPreflight, corsHeaders } from './cors'
import { openApiDocument } from './openapi-document'
import { portRoutes } from './port-routes'
import { readBody } from './request-body'
import { sendError, sendJson } from './rest-answer'
import { restCaller } from './rest-access'
import { RestError, restRoute, type RestRoute } from './rest-route'
import { RouteTable } from './route-table'

export interface RestApiDeps {
  settings(): ServerSettings
  ports: PortManager
  /** Routes of the engine's capabilities (polls, recording, ...). */
  routes: readonly RestRoute[]
  lastFrame(port: string): RxFrame | undefined
  /** Epoch ms, for timed client rules. */
  now(): number
  logFault: FaultLog
  /** For openapi.json's `info.version`. */
  version: string
}

/**
 * The REST API under /api/v1 (docs/protocol.md, REST API), on the server's HTTP listener:
 * the server has checked the request target and Host; the rest is checked here, in the
 * WebSocket endpoints' order (Origin, token, name, rules), before the route is looked at.
 */
export function restApi(deps: RestApiDeps): ServerExtension {
  const routes: RestRoute[] = [...portRoutes(deps), ...deps.routes]
  const openApi = restRoute({
    id: 'openApi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This description of the API (OpenAPI 3.1)',
    acts: false,
    answer: openApiAnswerSchema,
    errors: [],
    handle: (): object => (document ??= openApiDocument(table.routes, deps.version)),
  })
  let document: object | undefined
  const table = new RouteTable([...routes, openApi])
  const budget = messageBudget(() => deps.settings().maxMessagesPerSecond)

  async function answer(req: IncomingMessage, res: ServerResponse, target: RequestTarget) {
    const settings = deps.settings()
    const cors = corsHeaders(req, settings)
    const path = target.path.slice(REST_PREFIX.length)
    const lookup = table.find(req.method ?? '', path)
    try {
      if (req.method === 'OPTIONS') return preflight(req, res, settings, lookup)
      const caller = restCaller(req, target.url, settings, deps.now())
      if (lookup.kind === 'none')
        throw new RestError(
          'NOT_FOUND',
          `no route ${target.url.pathname}: see ${REST_PREFIX}/openapi.json`,
        )
      if (lookup.kind === 'methods') {
        const allow = lookup.methods.join(', ')
        cors.allow = allow
        throw new RestError('METHOD_NOT_ALLOWED', `${target.url.pathname} answers ${allow}`)
      }
      const { route, params } = lookup
      if (route.acts && caller.readOnly)
        throw new RestError('FORBIDDEN', 'this client is read-only')
      const body = route.body ? await bodyOf(req, route.body, settings.maxPayloadBytes) : undefined
      if (route.acts) {
        const spent = budget.spend(caller.budgetKey)
        if (!spent.ok)
          throw new RestError(
            'RATE_LIMITED',
            budget.refusal(spent.retryAfterMs),
            spent.retryAfterMs,
          )
      }
      const owner = {}
      const left = () => deps.ports.cancelOwner(owner)
      res.once('close', left)
      try {
        sendJson(res, 200, await route.handle({ params, body, caller, owner }), cors)
      } finally {
        res.off('close', left)
      }
    } catch (error) {
      if (!(error instanceof RestError)) throw error
      // Past the body's bound the rest is not read: the connection ends after the answer.
      sendError(res, error, error.code === 'TOO_LARGE' ? { ...cors, connection: 'close' } : cors)
    }
  }

  return {
    http(req, res, target) {
      if (target.path !== REST_PREFIX && !target.path.startsWith(`${REST_PREFIX}/`)) return false
      answer(req, res, target).catch((error: unknown) => {
        deps.logFault(`REST ${req.method ?? ''} ${target.url.pathname}`, error)
        if (res.headersSent) return void res.destroy()
        sendError(res, new RestError('INTERNAL', `internal error: ${(error as Error).message}`))
      })
      return true
    },
  }
}

/** A preflight carries no token: the origin and the route decide it. */
function preflight(
  req: IncomingMessage,
  res: ServerResponse,
  settings: ServerSettings,
  lookup: ReturnType<RouteTable['find']>,
): void {
  const origin = checkOrigin(req.headers.origin, settings)
  if (!origin.ok) throw new RestError('FORBIDDEN', origin.message)
  if (lookup.kind !== 'methods') throw new RestError('NOT_FOUND', 'no such route')
  answerPreflight(req, res, settings, lookup.methods)
}

/** The body as the route takes it: JSON checked by its schema, or text as `{ data }`. */
async function bodyOf(
  req: IncomingMessage,
  body: NonNullable<RestRoute['body']>,
  maxBytes: number,
): Promise<unknown> {
  const read = await readBody(req, maxBytes)
  if (read.kind === 'text' && !body.text)
    throw new RestError('BAD_MESSAGE', 'send JSON, with Content-Type: application/json')
  const parsed = body.schema.safeParse(read.kind === 'json' ? read.value : { data: read.text })
  if (!parsed.success) throw new RestError('BAD_MESSAGE', formatIssues(parsed.error).join('; '))
  return parsed.data
}
