import { z } from 'zod'
import { REST_PREFIX, restSchemas, type RestErrorCode } from '../../../common/rest/rest-schemas'
import { STATUS_OF } from './rest-answer'
import type { RestRoute } from './rest-route'

const COMPONENT = '#/components/schemas/'

/** Every route can answer these (the access rules, a fault of ours). */
const EVERY_ROUTE: readonly RestErrorCode[] = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'BAD_MESSAGE',
  'INTERNAL',
]
/** Routes that act on a port also answer these: read-only (403) and the rate limit (429). */
const ACTING: readonly RestErrorCode[] = ['FORBIDDEN', 'RATE_LIMITED']
/** Routes with a body. */
const WITH_BODY: readonly RestErrorCode[] = ['TOO_LARGE', 'BAD_MESSAGE']

/**
 * The API's OpenAPI 3.1 description, made from the routes and the zod schemas that check
 * them: answers are components (their output), request bodies are inline (their input, so
 * fields with defaults are optional).
 */
export function openApiDocument(routes: readonly RestRoute[], version: string): object {
  const paths: Record<string, Record<string, object>> = {}
  for (const route of routes) {
    const item = (paths[route.path] ??= {})
    item[route.method.toLowerCase()] = operation(route)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Serial Bridge REST API',
      version,
      description:
        'The serial ports of a Serial Bridge over HTTP, beside its WebSocket endpoints; ' +
        'the same Host, Origin and token rules (docs/protocol.md, REST API).',
    },
    servers: [{ url: REST_PREFIX }],
    security: [{ bearer: [] }, { queryToken: [] }, {}],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'server.token or server.tokens' },
        queryToken: { type: 'apiKey', in: 'query', name: 'token' },
      },
      headers: {
        RetryAfter: {
          description: 'Seconds until the client may send again',
          schema: { type: 'integer', minimum: 1 },
        },
      },
    },
  }
}

function operation(route: RestRoute): object {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
  const client = {
    name: 'client',
    in: 'query',
    required: false,
    description: 'A name for this tool, shown to the operator; rules can match it',
    schema: { type: 'string' },
  }
  const codes = new Set<RestErrorCode>([
    ...EVERY_ROUTE,
    ...(route.acts ? ACTING : []),
    ...(route.body ? WITH_BODY : []),
    ...route.errors,
  ])
  return {
    operationId: route.id,
    summary: route.summary,
    parameters: [...params, client],
    ...(route.body ? { requestBody: requestBody(route.body) } : {}),
    responses: {
      200: { description: 'Done', content: json(ref(route.answer, route.id)) },
      ...errorResponses(codes),
    },
  }
}

function requestBody(body: NonNullable<RestRoute['body']>): object {
  const content: Record<string, object> = {
    'application/json': { schema: inline(body.schema) },
  }
  if (body.text) content['text/plain'] = { schema: { type: 'string', description: body.text } }
  return { required: true, content }
}

function errorResponses(codes: Set<RestErrorCode>): Record<string, object> {
  const byStatus = new Map<number, RestErrorCode[]>()
  for (const code of codes)
    byStatus.set(STATUS_OF[code], [...(byStatus.get(STATUS_OF[code]) ?? []), code])
  const out: Record<string, object> = {}
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: list.join(', '),
      ...(list.includes('RATE_LIMITED')
        ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } }
        : {}),
      content: json({ $ref: `${COMPONENT}Error` }),
    }
  }
  return out
}

function json(schema: object): object {
  return { 'application/json': { schema } }
}

function ref(schema: z.ZodType, routeId: string): object {
  const id = restSchemas.get(schema)?.id
  if (!id) throw new Error(`route ${routeId}: its answer schema is not registered in restSchemas`)
  return { $ref: COMPONENT + id }
}

function inline(schema: z.ZodType): object {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<
    string,
    unknown
  >
  return rest
}

/** JSON Schema 2020-12 is OpenAPI 3.1's dialect; `$schema` and `$id` are the document's own. */
function componentSchemas(): Record<string, object> {
  const { schemas } = z.toJSONSchema(restSchemas, {
    io: 'output',
    uri: (id) => COMPONENT + id,
  })
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>
      return [id, rest]
    }),
  )
}
