import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  portDetailSchema,
  portsAnswerSchema,
  queryAnswerSchema,
  writeAnswerSchema,
} from '../../../common/rest/rest-schemas'
import { startPtyBridge, type PtyBridge } from '../../helpers/pty-bridge'
import { assertRestError, jsonBody, restClient } from '../../helpers/rest-client'
import { waitFor } from '../../helpers/wait'

const post = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'text/plain', ...headers },
  body,
})

describe('REST API: the port routes, through a real engine on a socat pty', () => {
  let rig: PtyBridge
  let api: ReturnType<typeof restClient>

  before(async () => {
    rig = await startPtyBridge(
      'rest',
      { id: 'meter', baudRate: 115200 },
      {
        server: { maxPayloadBytes: 1024 },
        otherPorts: [{ id: 'idle', path: 'sim:nothing-here', autoOpen: false }],
      },
    )
    api = restClient(rig.bridge.url)
    // The instrument answers *IDN? and stays silent to anything else.
    rig.instrument.port.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('*IDN?')) void rig.instrument.write('ACME,METER,1\n')
    })
  })
  after(() => rig?.stop())

  test('GET /ports: every port, as the engine lists them', async () => {
    const answer = await api('/ports')
    assert.equal(answer.status, 200)
    assert.match(answer.headers.get('content-type')!, /^application\/json/)
    const { ports } = portsAnswerSchema.parse(answer.body)
    assert.deepEqual(
      ports.map((p) => [p.id, p.state]),
      [
        ['meter', 'open'],
        ['idle', 'closed'],
      ],
    )
    assert.deepEqual(ports[0]!.settings, rig.bridge.engine.listPorts()[0]!.settings)
  })

  test('GET /ports/{id}: the port with its last frame', async () => {
    const before = portDetailSchema.parse((await api('/ports/idle')).body)
    assert.equal(before.lastFrame, null)
    await rig.instrument.write('V=1.5\n')
    await waitFor(
      async () => ((await api('/ports/meter')).body as { lastFrame: unknown }).lastFrame,
      {
        what: 'a last frame',
      },
    )
    const detail = portDetailSchema.parse((await api('/ports/meter')).body)
    assert.equal(detail.id, 'meter')
    assert.equal(detail.state, 'open')
    assert.deepEqual(
      { data: detail.lastFrame?.data, encoding: detail.lastFrame?.encoding },
      { data: 'V=1.5', encoding: 'utf8' },
    )
    assert.equal(detail.lastFrame?.seq, detail.metrics.framesIn)
    assert.ok(!Number.isNaN(Date.parse(detail.lastFrame!.ts)))
    assertRestError(await api('/ports/nope'), 404, 'UNKNOWN_PORT', /unknown port: nope/)
  })

  test('POST /ports/{id}/write: a text body gets the line ending; JSON takes an encoding', async () => {
    const text = await api('/ports/meter/write', post('*RST'))
    assert.deepEqual([text.status, writeAnswerSchema.parse(text.body)], [200, { bytes: 5 }])
    await rig.instrument.waitForLine('*RST')
    const hex = await api('/ports/meter/write', jsonBody({ data: '0a', encoding: 'hex' }))
    assert.deepEqual(hex.body, { bytes: 1 })
    const json = await api('/ports/meter/write', jsonBody({ data: 'CONF:VOLT' }))
    assert.deepEqual(json.body, { bytes: 10 })
    await rig.instrument.waitForLine('CONF:VOLT')
    // curl -d sends application/x-www-form-urlencoded: the body is still the text.
    const form = await api(
      '/ports/meter/write',
      post('MEAS?', { 'content-type': 'application/x-www-form-urlencoded' }),
    )
    assert.deepEqual(form.body, { bytes: 6 })
  })

  test('POST /ports/{id}/query: the reply and how long it took; 504 TIMEOUT when none comes', async () => {
    const answer = await api('/ports/meter/query', post('*IDN?'))
    assert.equal(answer.status, 200, answer.text)
    const reply = queryAnswerSchema.parse(answer.body)
    assert.deepEqual([reply.data, reply.encoding], ['ACME,METER,1', 'utf8'])
    assert.ok(reply.ms >= 0)
    const silent = await api('/ports/meter/query', jsonBody({ data: 'SILENT?', timeoutMs: 50 }))
    assertRestError(silent, 504, 'TIMEOUT', /no reply within 50 ms/)
  })

  test('a port that is not open: 409 PORT_NOT_OPEN', async () => {
    assertRestError(await api('/ports/idle/write', post('x')), 409, 'PORT_NOT_OPEN', /idle/)
    assertRestError(await api('/ports/idle/query', post('x')), 409, 'PORT_NOT_OPEN')
  })

  test('bad bodies are 400 BAD_MESSAGE in words; nothing is written', async () => {
    const before = rig.instrument.bytes().length
    const cases: Array<[RequestInit, RegExp]> = [
      [jsonBody({ data: 'zz', encoding: 'hex' }), /data is not hex/],
      [jsonBody({ data: 'x', extra: 1 }), /extra: unknown field/],
      [jsonBody({ encoding: 'utf8' }), /^data: /],
      [jsonBody({ data: 'x', timeoutMs: 0 }, {}), /timeoutMs|unknown field/],
      [post('{"data": 1', { 'content-type': 'application/json' }), /malformed JSON/],
      [
        post('{"data":"a","data":"b"}', { 'content-type': 'application/json' }),
        /duplicate key "data"/,
      ],
      [
        post(`{"data":"x","encoding":"utf8","z":${'['.repeat(40)}${']'.repeat(40)}}`, {
          'content-type': 'application/json',
        }),
        /nested deeper than 32/,
      ],
      [{ method: 'POST', body: Buffer.from([0x66, 0xff, 0x0a]) }, /not UTF-8/],
    ]
    for (const [init, message] of cases) {
      assertRestError(await api('/ports/meter/write', init), 400, 'BAD_MESSAGE', message)
    }
    assertRestError(
      await api('/ports/meter/query', jsonBody({ data: 'x', timeoutMs: 0 })),
      400,
      'BAD_MESSAGE',
      /^timeoutMs: /,
    )
    assert.equal(rig.instrument.bytes().length, before, 'nothing reached the instrument')
  })

  test('bodies past server.maxPayloadBytes: 413 TOO_LARGE, declared or streamed', async () => {
    const big = 'x'.repeat(2000)
    const declared = await api('/ports/meter/write', post(big))
    assertRestError(declared, 413, 'TOO_LARGE', /over 1024 bytes \(server\.maxPayloadBytes\)/)
    assert.equal(declared.headers.get('connection'), 'close')
    // Chunked, with no Content-Length: refused once it passes the bound.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(500)))
        controller.close()
      },
    })
    const chunked = await api('/ports/meter/write', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit)
    assertRestError(chunked, 413, 'TOO_LARGE')
    assert.ok(!rig.instrument.bytes().toString().includes('yyyy'), 'nothing was written')
  })

  test('no such route: 404 NOT_FOUND; a route without that method: 405 with Allow', async () => {
    assertRestError(await api('/nothing'), 404, 'NOT_FOUND', /see \/api\/v1\/openapi\.json/)
    assertRestError(await api(''), 404, 'NOT_FOUND')
    const wrong = await api('/ports/meter/write')
    assertRestError(wrong, 405, 'METHOD_NOT_ALLOWED', /answers POST/)
    assert.equal(wrong.headers.get('allow'), 'POST')
    assertRestError(await api('/ports', { method: 'DELETE' }), 405, 'METHOD_NOT_ALLOWED')
  })
})
