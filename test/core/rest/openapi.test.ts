import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { z } from 'zod'
import { releaseMessageSchema, startPollMessageSchema } from '../../../common/protocol'
import { errorAnswerSchema, restSchemas } from '../../../common/rest/rest-schemas'
import type { CapabilityFactory } from '../../../main/core/capability'
import { restRoute } from '../../../main/core/rest/rest-route'
import { startEngine } from '../../helpers/engine-fixture'
import { jsonBody, restClient } from '../../helpers/rest-client'

/** A capability of the test's own with two routes: the seam polls and recording use. */
const echoAnswer = z
  .object({ port: z.string(), said: z.string() })
  .register(restSchemas, { id: 'Echo' })
const faults: string[] = []
const echo: CapabilityFactory = () => ({
  name: 'echo',
  routes: [
    restRoute({
      id: 'echoPort',
      method: 'POST',
      path: '/ports/{id}/echo',
      summary: 'Says back what it was sent',
      acts: true,
      body: { schema: z.strictObject({ said: z.string().max(20) }) },
      answer: echoAnswer,
      errors: [],
      handle: ({ params, body }) => ({ port: params.id!, said: body.said }),
    }),
    restRoute({
      id: 'breakPort',
      method: 'GET',
      path: '/ports/{id}/broken',
      summary: 'A bug of ours',
      acts: false,
      answer: echoAnswer,
      errors: [],
      handle: () => {
        throw new Error('the bug')
      },
    }),
  ],
})

describe('REST API: openapi.json and the routes of capabilities', () => {
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let api: ReturnType<typeof restClient>

  before(async () => {
    bridge = await startEngine(
      { ports: [{ id: 'demo', path: 'sim:demo' }] },
      {
        capabilities: [echo],
        logFault: (where, error) => void faults.push(`${where}: ${(error as Error).message}`),
      },
    )
    api = restClient(bridge.url)
  })
  after(() => bridge?.stop())

  test('openapi.json is valid OpenAPI 3.1 (checked by swagger-parser), every route in it', async () => {
    const answer = await api('/openapi.json')
    assert.equal(answer.status, 200)
    const doc = answer.body as {
      openapi: string
      paths: Record<
        string,
        Record<string, { operationId: string; responses: Record<string, unknown> }>
      >
    }
    assert.equal(doc.openapi, '3.1.0')
    // validate() resolves every $ref too: a dangling one fails.
    await SwaggerParser.validate(structuredClone(doc) as never)
    // The check is real: a document that breaks the rules is refused.
    const broken = { ...structuredClone(doc), paths: { '/ports': { get: { responses: 7 } } } }
    await assert.rejects(SwaggerParser.validate(broken as never), /schema validation failed/)
    const dangling = structuredClone(doc) as unknown as {
      components: { schemas: Record<string, unknown> }
    }
    delete dangling.components.schemas.PortInfo
    await assert.rejects(SwaggerParser.validate(dangling as never), /PortInfo/)
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(
        ([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`,
      ),
    )
    assert.deepEqual(operations.sort(), [
      'DELETE /ports/{id}/polls/{name} stopPoll',
      'GET /openapi.json openApi',
      'GET /ports listPorts',
      'GET /ports/{id} getPort',
      'GET /ports/{id}/broken breakPort',
      'GET /ports/{id}/polls listPolls',
      'GET /recordings listRecordings',
      'POST /ports/{id}/echo echoPort',
      'POST /ports/{id}/polls startPoll',
      'POST /ports/{id}/query queryPort',
      'POST /ports/{id}/record recordPort',
      'POST /ports/{id}/release releasePort',
      'POST /ports/{id}/write writePort',
    ])
    const write = doc.paths['/ports/{id}/write']!.post!.responses
    assert.deepEqual(Object.keys(write).sort(), [
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '429',
      '500',
      '503',
      '504',
    ])
    assert.ok(JSON.stringify(write['429']).includes('Retry-After'))
    const statuses = (path: string, method: string) =>
      Object.keys(doc.paths[path]![method]!.responses).sort().join(' ')
    assert.equal(statuses('/ports/{id}/polls', 'get'), '200 400 401 403 404 500')
    assert.equal(statuses('/ports/{id}/polls', 'post'), '200 400 401 403 404 413 429 500 503')
    assert.equal(statuses('/ports/{id}/polls/{name}', 'delete'), '200 400 401 403 404 429 500')
    assert.equal(statuses('/ports/{id}/release', 'post'), '200 400 401 403 404 409 413 429 500')
  })

  test('the description is made from the schemas that check the requests', async () => {
    const doc = (await api('/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >
      components: { schemas: Record<string, unknown> }
    }
    const body = doc.paths['/ports/{id}/query']!.post!.requestBody!.content
    assert.deepEqual(Object.keys(body).sort(), ['application/json', 'text/plain'])
    assert.deepEqual(body['application/json']!.schema, {
      type: 'object',
      properties: {
        data: { type: 'string' },
        encoding: { default: 'utf8', type: 'string', enum: ['utf8', 'hex', 'base64'] },
        timeoutMs: { default: 1000, type: 'integer', minimum: 1, maximum: 60000 },
        expect: { type: 'string', minLength: 1, maxLength: 1000 },
        expectLines: { type: 'integer', minimum: 1, maximum: 1000 },
      },
      required: ['data'],
      additionalProperties: false,
    })
    // The poll and release bodies are the messages' fields: startPoll's without port and persist.
    const inputOf = (schema: z.ZodType) => {
      const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input' })
      return rest
    }
    const pollBody = doc.paths['/ports/{id}/polls']!.post!.requestBody!.content
    assert.deepEqual(Object.keys(pollBody), ['application/json'])
    const {
      type: _t,
      port: _p,
      persist: _k,
      id: _i,
      ...pollFields
    } = inputOf(startPollMessageSchema).properties as Record<string, unknown>
    assert.deepEqual(pollBody['application/json']!.schema, {
      type: 'object',
      properties: pollFields,
      required: ['command', 'intervalMs'],
      additionalProperties: false,
    })
    assert.deepEqual(Object.keys(pollFields), [
      'name',
      'command',
      'intervalMs',
      'encoding',
      'timeoutMs',
      'expect',
    ])
    const releaseBody = doc.paths['/ports/{id}/release']!.post!.requestBody!.content
    const { seconds } = inputOf(releaseMessageSchema).properties as Record<string, unknown>
    assert.deepEqual(releaseBody['application/json']!.schema, {
      type: 'object',
      properties: { seconds },
      additionalProperties: false,
    })
    for (const id of ['PollInfo', 'PollList', 'PollStarted', 'PollStopped', 'Released'])
      assert.ok(doc.components.schemas[id], `${id} is a component`)
    const { $schema: _dialect, ...error } = z.toJSONSchema(errorAnswerSchema)
    assert.deepEqual(doc.components.schemas.Error, error)
    assert.ok(doc.components.schemas.Echo, "a capability's answer is a component too")
  })

  test('a capability route: checked and rate-limited like the others; a fault of ours is 500 INTERNAL, logged', async () => {
    const ok = await api('/ports/demo/echo', jsonBody({ said: 'hi' }))
    assert.deepEqual([ok.status, ok.body], [200, { port: 'demo', said: 'hi' }])
    const bad = await api('/ports/demo/echo', jsonBody({ said: 'x'.repeat(30) }))
    assert.equal(bad.status, 400)
    const broken = await api('/ports/demo/broken')
    assert.equal(broken.status, 500)
    assert.deepEqual(broken.body, {
      error: { code: 'INTERNAL', message: 'internal error: the bug' },
    })
    assert.ok(
      faults.some((f) => f === 'REST GET /api/v1/ports/demo/broken: the bug'),
      faults.join('\n'),
    )
    // The bridge is still there.
    assert.equal((await api('/ports')).status, 200)
  })
})
