import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startScriptedBridge, type ScriptedBridge } from '../../helpers/scripted-bridge'
import type { ScriptedInstrument } from '../../helpers/scripted-instrument'
import { TestClient } from '../../helpers/ws-client'

/**
 * `query` on an instrument that also streams: `expect` picks the reply, `expectLines` gathers
 * several lines, and every frame that is not the reply still reaches subscribers as data.
 */
describe('query with expect and expectLines', () => {
  let rig: ScriptedBridge
  let meter: ScriptedInstrument
  let client: TestClient

  before(async () => {
    rig = await startScriptedBridge(
      'expect',
      { id: 'meter', baudRate: 115200 },
      (line) => {
        if (line === '*IDN?') return 'ACME,Model 42,A1234,2.1'
        if (line === 'LIST?') return 'a\nb\nc'
        if (line === 'HALF?') return 'only one'
        return undefined
      },
      { delayMs: 30 },
    )
    meter = rig.meter
    client = await TestClient.connect(`${rig.bridge.url}/ws`)
    await client.nextMessage('hello')
  })
  after(async () => {
    await client.close()
    await rig.stop()
  })

  test('on a streaming instrument the reply is the first frame matching expect; readings flow on', async () => {
    client.send({ type: 'subscribe', ports: ['meter'], id: 's' })
    await client.nextMessage('subscribed')
    // A reading every 5 ms: without expect, one of them would be "the next frame".
    meter.stream(5, (n) => `T=${20 + n / 100}`)
    await client.nextMessage('data', (m) => m.data.startsWith('T='))
    const from = client.received.length
    for (let i = 1; i <= 5; i++) {
      client.send({ type: 'query', port: 'meter', data: '*IDN?', expect: '^ACME,', id: i })
      const reply = await client.nextMessage('reply', (m) => m.id === i, { from })
      assert.equal(reply.data, 'ACME,Model 42,A1234,2.1')
      assert.equal('lines' in reply, false, 'a reply without expectLines has its v1 fields only')
    }
    meter.stopStreaming()
    // Readings still on the line would be the next query's "next frame": let them arrive.
    await meter.write('END\n')
    await client.nextMessage('data', (m) => m.data === 'END', { from })
    const data = client
      .messages()
      .slice(from)
      .filter((m) => m.type === 'data')
    assert.ok(data.filter((m) => m.data.startsWith('T=')).length >= 5, 'readings still arrive')
    assert.equal(data.filter((m) => m.data.startsWith('ACME')).length, 5, 'replies are data too')
  })

  test('expectLines gathers several lines: data joined with "\\n", and lines', async () => {
    client.send({ type: 'query', port: 'meter', data: 'LIST?', expectLines: 3, id: 'list' })
    const reply = await client.nextMessage('reply', (m) => m.id === 'list')
    assert.deepEqual(reply, {
      type: 'reply',
      port: 'meter',
      data: 'a\nb\nc',
      encoding: 'utf8',
      lines: ['a', 'b', 'c'],
      id: 'list',
    })
  })

  test('timeouts say what was awaited', async () => {
    const opts = { port: 'meter', timeoutMs: 300 }
    client.send({ type: 'query', ...opts, data: '*IDN?', expect: '^NEVER', id: 'e' })
    const never = await client.nextMessage('error', (m) => m.id === 'e')
    assert.deepEqual(
      [never.code, never.message],
      ['TIMEOUT', 'no reply matching "^NEVER" within 300 ms'],
    )
    client.send({ type: 'query', ...opts, data: 'HALF?', expectLines: 3, id: 'h' })
    const half = await client.nextMessage('error', (m) => m.id === 'h')
    assert.deepEqual([half.code, half.message], ['TIMEOUT', 'only 1 of 3 lines within 300 ms'])
  })

  test('an expect that does not compile and a bad expectLines are refused, naming the field; nothing is written', async () => {
    const before = meter.arrivals.length
    client.send({ type: 'query', port: 'meter', data: 'X?', expect: '(', id: 'bad' })
    const bad = await client.nextMessage('error', (m) => m.id === 'bad')
    assert.equal(bad.code, 'BAD_MESSAGE')
    assert.match(bad.message, /^expect: does not compile/)
    // RE2 has no backreferences: a pattern that could backtrack forever never gets in.
    client.send({ type: 'query', port: 'meter', data: 'X?', expect: '(a+)+\\1', id: 'redos' })
    const redos = await client.nextMessage('error', (m) => m.id === 'redos')
    assert.match(redos.message, /^expect: does not compile/)
    client.send({ type: 'query', port: 'meter', data: 'X?', expectLines: 0, id: 'zero' })
    const zero = await client.nextMessage('error', (m) => m.id === 'zero')
    assert.match(zero.message, /^expectLines: /)
    client.send({ type: 'ping', id: 'still' })
    await client.nextMessage('pong', (m) => m.id === 'still')
    assert.equal(meter.arrivals.length, before, 'refused queries wrote nothing')
  })
})
