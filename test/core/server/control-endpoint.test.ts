import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startLineBridge, type LineBridge } from '../../helpers/line-bridge'
import { describeOnLines, waitForBytes, type TestInstrument } from '../../helpers/test-lines'
import { TestClient } from '../../helpers/ws-client'

describeOnLines('control endpoint /ws', (kind) => {
  let rig: LineBridge
  let bridge: LineBridge['bridge']
  let instrument: TestInstrument
  const clients: TestClient[] = []
  const connect = async (path = '/ws'): Promise<TestClient> => {
    const c = await TestClient.connect(bridge.url + path)
    clients.push(c)
    return c
  }

  before(async () => {
    rig = await startLineBridge(
      kind.line('ctl'),
      { id: 'meter', writeTerminator: '\r\n' },
      {
        otherPorts: [{ id: 'spare', path: '/dev/does-not-exist', autoOpen: false }],
      },
    )
    ;({ bridge, instrument } = rig)
  })
  after(async () => {
    for (const c of clients) await c.close()
    await rig.stop()
  })

  test('hello names the protocol, the server and every port', async () => {
    const c = await connect()
    const hello = await c.nextMessage('hello')
    assert.equal(hello.protocol, 1)
    assert.match(hello.server, /^Serial Bridge \d+\.\d+\.\d+$/)
    assert.match(hello.clientId, /^c\d+$/)
    assert.deepEqual(
      hello.ports.map((p) => [p.id, p.state]),
      [
        ['meter', 'open'],
        ['spare', 'closed'],
      ],
    )
    assert.equal(hello.ports[0]!.settings.writeTerminator, '\r\n')
  })

  test('list, ping and subscribe are answered with their id', async () => {
    const c = await connect()
    c.send({ type: 'list', id: 'L' })
    assert.equal((await c.nextMessage('ports')).ports.length, 2)
    c.send({ type: 'ping', id: { n: 1 } })
    assert.deepEqual(await c.nextMessage('pong'), { type: 'pong', id: { n: 1 } })
    c.send({ type: 'subscribe', ports: ['meter'], id: 3 })
    assert.deepEqual(await c.nextMessage('subscribed'), {
      type: 'subscribed',
      id: 3,
      ports: ['meter'],
    })
    c.send({ type: 'subscribe', ports: '*', id: 4 })
    assert.deepEqual((await c.nextMessage('subscribed', (m) => m.id === 4)).ports, [
      'meter',
      'spare',
    ])
    c.send({ type: 'unsubscribe', ports: ['spare'], id: 5 })
    assert.deepEqual((await c.nextMessage('subscribed', (m) => m.id === 5)).ports, ['meter'])
    c.send({ type: 'unsubscribe', ports: '*', id: 6 })
    assert.deepEqual((await c.nextMessage('subscribed', (m) => m.id === 6)).ports, [])
  })

  test('subscribers get data messages with ts and increasing seq; others get none', async () => {
    const sub = await connect()
    const other = await connect()
    sub.send({ type: 'subscribe', ports: ['meter'] })
    await sub.nextMessage('subscribed')
    await instrument.write('21.5 C\nbad \xff\n'.replace('\xff', '') + '\n')
    await instrument.write(Buffer.from([0x76, 0xff, 0xfe, 0x0a]))
    const first = await sub.nextMessage('data', (m) => m.data === '21.5 C')
    assert.equal(first.encoding, 'utf8')
    assert.match(first.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const binary = await sub.nextMessage('data', (m) => m.encoding === 'base64')
    assert.equal(Buffer.from(binary.data, 'base64').toString('hex'), '76fffe')
    assert.ok(binary.seq > first.seq)
    other.send({ type: 'ping', id: 'after' })
    await other.nextMessage('pong')
    assert.equal(other.messages().filter((m) => m.type === 'data').length, 0)
  })

  test('write appends the terminator to text only, once; hex and base64 go as bytes', async () => {
    const c = await connect()
    const start = instrument.bytes().length
    c.send({ type: 'write', port: 'meter', data: 'MEAS?', id: 1 })
    assert.deepEqual(await c.nextMessage('ack', (m) => m.id === 1), {
      type: 'ack',
      id: 1,
      bytes: 7,
    })
    c.send({ type: 'write', port: 'meter', data: 'OUT 1\r\n', id: 2 })
    assert.equal((await c.nextMessage('ack', (m) => m.id === 2)).bytes, 7)
    c.send({ type: 'write', port: 'meter', data: '02 41 03', encoding: 'hex', id: 3 })
    assert.equal((await c.nextMessage('ack', (m) => m.id === 3)).bytes, 3)
    c.send({
      type: 'write',
      port: 'meter',
      data: Buffer.from([0, 1, 0x0a]).toString('base64'),
      encoding: 'base64',
      id: 4,
    })
    await c.nextMessage('ack', (m) => m.id === 4)
    const expected = Buffer.concat([
      Buffer.from('MEAS?\r\nOUT 1\r\n'),
      Buffer.from([2, 0x41, 3, 0, 1, 0x0a]),
    ])
    await waitForBytes(instrument, start, expected.length)
    assert.deepEqual(instrument.bytes().subarray(start), expected)
  })

  test('concurrent queries from two tools each get their own answer, in arrival order', async () => {
    const a = await connect()
    const b = await connect()
    const answering = answerQueries(instrument)
    try {
      for (let i = 0; i < 5; i++) {
        a.send({ type: 'query', port: 'meter', data: `A${i}?`, id: `a${i}` })
        b.send({ type: 'query', port: 'meter', data: `B${i}?`, id: `b${i}` })
      }
      for (let i = 0; i < 5; i++) {
        assert.equal((await a.nextMessage('reply', (m) => m.id === `a${i}`)).data, `answer A${i}?`)
        assert.equal((await b.nextMessage('reply', (m) => m.id === `b${i}`)).data, `answer B${i}?`)
      }
    } finally {
      answering.stop()
    }
    assert.equal(a.messages().filter((m) => m.type === 'reply').length, 5)
    assert.equal(b.messages().filter((m) => m.type === 'reply').length, 5)
  })

  test('a query nobody answers times out with TIMEOUT', async () => {
    const c = await connect()
    c.send({ type: 'query', port: 'meter', data: 'silent?', timeoutMs: 100, id: 'q' })
    const error = await c.nextMessage('error', (m) => m.id === 'q')
    assert.equal(error.code, 'TIMEOUT')
  })

  test('bad input is answered and the connection stays', async () => {
    const c = await connect()
    const cases: Array<[string, string, unknown]> = [
      ['{not json', 'BAD_MESSAGE', undefined],
      ['[1,2]', 'BAD_MESSAGE', undefined],
      [JSON.stringify({ type: 'launch', id: 1 }), 'BAD_MESSAGE', 1],
      [JSON.stringify({ type: 'write', port: 'meter', id: 2 }), 'BAD_MESSAGE', 2],
      [
        JSON.stringify({ type: 'write', port: 'meter', data: 'x', encoding: 'rot13', id: 3 }),
        'BAD_MESSAGE',
        3,
      ],
      [
        JSON.stringify({ type: 'write', port: 'meter', data: 'zz', encoding: 'hex', id: 4 }),
        'BAD_MESSAGE',
        4,
      ],
      [JSON.stringify({ type: 'write', port: 'nope', data: 'x', id: 5 }), 'UNKNOWN_PORT', 5],
      [JSON.stringify({ type: 'subscribe', ports: ['nope'], id: 6 }), 'UNKNOWN_PORT', 6],
      [JSON.stringify({ type: 'write', port: 'spare', data: 'x', id: 7 }), 'PORT_NOT_OPEN', 7],
      [JSON.stringify({ type: 'query', port: 'spare', data: 'x', id: 8 }), 'PORT_NOT_OPEN', 8],
    ]
    for (const [raw, code, id] of cases) {
      const from = c.received.length
      c.send(raw)
      const error = await c.nextMessage('error', () => true, { from })
      assert.equal(error.code, code, raw)
      assert.deepEqual(error.id, id, raw)
      assert.ok(error.message.length > 0)
    }
    c.ws.send(Buffer.from([1, 2, 3]))
    assert.equal(
      (await c.nextMessage('error', (m) => /JSON text/.test(m.message))).code,
      'BAD_MESSAGE',
    )
    c.send({ type: 'ping', id: 'still here' })
    await c.nextMessage('pong', (m) => m.id === 'still here')
  })

  test('a read-only client may read but its writes and queries are FORBIDDEN', async () => {
    const c = await connect()
    const { clientId } = await c.nextMessage('hello')
    assert.deepEqual(bridge.engine.setClientReadOnly(clientId, true), {
      ok: true,
      value: undefined,
    })
    assert.equal(bridge.engine.listClients().find((x) => x.id === clientId)?.readOnly, true)
    c.send({ type: 'write', port: 'meter', data: 'x', id: 'w' })
    assert.equal((await c.nextMessage('error', (m) => m.id === 'w')).code, 'FORBIDDEN')
    c.send({ type: 'query', port: 'meter', data: 'x', id: 'q' })
    assert.equal((await c.nextMessage('error', (m) => m.id === 'q')).code, 'FORBIDDEN')
    c.send({ type: 'subscribe', ports: ['meter'], id: 's' })
    await c.nextMessage('subscribed', (m) => m.id === 's')
  })

  test('the registry lists clients with their details, and a kicked client is closed with 1008', async () => {
    const c = await TestClient.connect(bridge.url + '/ws', {
      headers: { 'user-agent': 'pytest-rig/1.0' },
    })
    const { clientId } = await c.nextMessage('hello')
    c.send({ type: 'subscribe', ports: ['meter'] })
    await c.nextMessage('subscribed')
    const info = bridge.engine.listClients().find((x) => x.id === clientId)!
    assert.equal(info.endpoint, '/ws')
    assert.equal(info.remoteAddress, '127.0.0.1')
    assert.equal(info.userAgent, 'pytest-rig/1.0')
    assert.equal(info.origin, null)
    assert.deepEqual(info.subscriptions, ['meter'])
    assert.ok(info.framesIn >= 1 && info.bytesIn > 0 && info.framesOut >= 2)
    assert.deepEqual(bridge.engine.disconnectClient(clientId), { ok: true, value: undefined })
    assert.equal((await c.closed).code, 1008)
    assert.equal(bridge.engine.disconnectClient('c-none').ok, false)
  })

  test('status messages tell subscribers when a port changes state', async () => {
    const c = await connect()
    c.send({ type: 'subscribe', ports: ['spare'] })
    await c.nextMessage('subscribed')
    void bridge.engine.openPort('spare')
    const status = await c.nextMessage(
      'status',
      (m) => m.state === 'error' || m.state === 'reconnecting',
    )
    assert.match(status.error ?? '', /not found/)
    assert.equal(typeof status.metrics.errors, 'number')
    await bridge.engine.closePort('spare')
    await c.nextMessage('status', (m) => m.state === 'closed')
  })
})

/** Plays an instrument that answers each `X?` line with `answer X?`. */
function answerQueries(instrument: TestInstrument): { stop(): void } {
  let seen = instrument.lines.length
  const onData = (): void => {
    while (seen < instrument.lines.length) {
      const line = instrument.lines[seen++]!.replace(/\r$/, '')
      if (line.endsWith('?')) void instrument.write(`answer ${line}\n`)
    }
  }
  return { stop: instrument.onData(onData) }
}
