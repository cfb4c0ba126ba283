import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { heldBytes, type EngineProcess } from '../helpers/engine-process'
import type { Instrument } from '../helpers/instrument'
import { startPtyBridge, type PtyBridge } from '../helpers/pty-bridge'
import { PtyEngineProcess } from '../helpers/pty-engine-process'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

const MiB = 1024 * 1024

/** Queries A sent that reached the instrument (its commands are "A<n>"). */
const commandsOf = (instrument: Instrument, tag: string) =>
  instrument.lines.filter((l) => l.startsWith(tag)).length

describe('the query queue is bounded and leaves with its client', () => {
  let rig: PtyBridge

  before(async () => {
    rig = await startPtyBridge('queries', { id: 'meter' })
  })
  after(async () => {
    await rig.stop()
  })

  test("a disconnected client's waiting queries never reach the instrument; the next client's query is answered, not given the late reply", async () => {
    const { bridge, instrument } = rig
    const a = await TestClient.connect(bridge.url + '/ws')
    const b = await TestClient.connect(bridge.url + '/ws')
    for (let n = 1; n <= 10; n++)
      a.send({ type: 'query', port: 'meter', data: `A${n}`, timeoutMs: 60_000, id: n })
    await instrument.waitForLine('A1')
    const aId = bridge.engine.listClients()[0]!.id
    await a.close()
    await waitFor(() => bridge.engine.listClients().every((c) => c.id !== aId), {
      what: 'the server to see A leave',
    })
    // The instrument answers A's first command late; that reply goes nowhere.
    await instrument.write('late answer to A1\n')
    b.send({ type: 'query', port: 'meter', data: 'B?', timeoutMs: 60_000, id: 'b' })
    await instrument.waitForLine('B?', 20_000)
    await instrument.write('answer to B\n')
    const reply = await b.nextMessage('reply', (m) => m.id === 'b', { timeoutMs: 20_000 })
    assert.equal(reply.data, 'answer to B')
    assert.deepEqual(instrument.lines, ['A1', 'B?'], 'A2…A10 were never written')
    await b.close()
  })

  test('2,000 queries with timeoutMs 5, then a disconnect: nothing not yet sent is sent after', async (t) => {
    const { bridge, instrument } = rig
    instrument.lines.length = 0
    const a = await TestClient.connect(bridge.url + '/ws')
    const aId = bridge.engine.listClients().at(-1)!.id
    const writtenBefore = bridge.engine.listPorts()[0]!.metrics.framesOut
    for (let n = 0; n < 2000; n++)
      a.send({ type: 'query', port: 'meter', data: `Q${n}`, timeoutMs: 5, id: n })
    // Leave while the queue is busy: some queries have timed out, others wait.
    const timedOut = () => a.messages().filter((m) => m.type === 'error' && m.code === 'TIMEOUT')
    await waitFor(() => timedOut().length >= 5, { what: '5 TIMEOUT answers', timeoutMs: 20_000 })
    a.ws.terminate()
    await waitFor(() => bridge.engine.listClients().every((c) => c.id !== aId), {
      what: 'the server to see A leave',
    })
    const written = bridge.engine.listPorts()[0]!.metrics.framesOut - writtenBefore
    const b = await TestClient.connect(bridge.url + '/ws')
    b.send({ type: 'query', port: 'meter', data: 'B2?', timeoutMs: 30_000, id: 'b' })
    await instrument.waitForLine('B2?', 30_000)
    await instrument.write('ok\n')
    await b.nextMessage('reply', (m) => m.id === 'b', { timeoutMs: 20_000 })
    const reached = commandsOf(instrument, 'Q')
    // At most the one command that was being written when A left.
    assert.ok(
      reached <= written + 1,
      `${reached} of A's commands reached the instrument; ${written} were written before it left`,
    )
    assert.ok(reached < 2000)
    t.diagnostic(`${written} written before A left, ${reached} reached the instrument`)
    assert.equal(instrument.lines.at(-1), 'B2?')
    await b.close()
  })

  test('a query past the per-client bound is answered BUSY, and timeoutMs is bounded', async () => {
    const { bridge } = rig
    const a = await TestClient.connect(bridge.url + '/ws')
    for (let n = 0; n < 17; n++)
      a.send({ type: 'query', port: 'meter', data: `P${n}`, timeoutMs: 2000, id: n })
    const busy = await a.nextMessage('error', (m) => m.id === 16)
    assert.equal(busy.code, 'BUSY')
    assert.match(busy.message, /16 queries waiting/)
    a.send({ type: 'query', port: 'meter', data: 'x', timeoutMs: 600_000, id: 'long' })
    const tooLong = await a.nextMessage('error', (m) => m.id === 'long')
    assert.equal(tooLong.code, 'BAD_MESSAGE')
    assert.match(tooLong.message, /timeoutMs/)
    a.ws.terminate()
  })
})

describe('3,000 queries of 100 KB from one client that then disconnects', () => {
  let rig: PtyEngineProcess
  let engine: EngineProcess
  let instrument: Instrument

  before(async () => {
    // The bound under test is the query queue's, not the rate limit's: 3,000 at once pass it.
    rig = await PtyEngineProcess.start(
      'q-memory',
      { id: 'meter' },
      { server: { maxMessagesPerSecond: 10_000 } },
    )
    ;({ engine, instrument } = rig)
  })
  after(async () => {
    await rig.stop()
  })

  test('are refused past the bound; memory returns near its baseline and the port serves others', async (t) => {
    const b = await TestClient.connect(engine.url + '/ws')
    const a = await TestClient.connect(engine.url + '/ws')
    const baseline = await engine.memory()
    const payload = 'x'.repeat(100_000)
    for (let n = 0; n < 3000; n++)
      a.send({ type: 'query', port: 'meter', data: payload, timeoutMs: 60_000, id: n })
    const lastAnswer = await a.nextMessage('error', (m) => m.id === 2999, { timeoutMs: 120_000 })
    assert.equal(lastAnswer.code, 'BUSY')
    const errors = (code: string) =>
      a.messages().filter((m) => m.type === 'error' && m.code === code).length
    const busy = errors('BUSY')
    // All but the 16 a client may have waiting; on a machine so loaded that sending them takes
    // over a minute, a waiting query times out and frees its place for one more.
    assert.ok(busy <= 3000 - 16 && busy >= 3000 - 16 - errors('TIMEOUT'), `${busy} BUSY`)
    // Served meanwhile: another client's requests that do not need the port.
    b.send({ type: 'ping', id: 'during' })
    await b.nextMessage('pong', (m) => m.id === 'during')

    await a.close()
    await waitFor(async () => (await engine.clients()).length === 1, { what: 'A to leave' })
    await instrument.write('late answer to the first query\n')
    b.send({ type: 'query', port: 'meter', data: 'B?', timeoutMs: 30_000, id: 'b' })
    await instrument.waitForLine('B?', 30_000)
    await instrument.write('answer to B\n')
    assert.equal(
      (await b.nextMessage('reply', (m) => m.id === 'b', { timeoutMs: 30_000 })).data,
      'answer to B',
    )
    const after = await engine.memory()
    const grown = heldBytes(after) - heldBytes(baseline)
    assert.ok(grown < 16 * MiB, `heap+external grew ${(grown / MiB).toFixed(1)} MiB`)
    const rssGrown = engine.rssFromOutside() - baseline.rss
    t.diagnostic(
      `heap+external ${(grown / MiB).toFixed(1)} MiB, RSS ${(rssGrown / MiB).toFixed(1)} MiB over baseline`,
    )
    assert.ok(rssGrown < 256 * MiB, `RSS grew ${(rssGrown / MiB).toFixed(1)} MiB`)
    assert.equal(commandsOf(instrument, 'x'), 1, 'only the query in progress was written')
    await b.close()
  })
})
