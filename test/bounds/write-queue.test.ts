import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import type { ServerMessage } from '../../common/protocol'
import { heldBytes, type EngineProcess } from '../helpers/engine-process'
import type { Instrument } from '../helpers/instrument'
import { PtyEngineProcess } from '../helpers/pty-engine-process'
import { waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

const MiB = 1024 * 1024
const WRITE_BYTES = 200_000
const hexWrite = (id: number) => ({
  type: 'write',
  port: 'stalled',
  data: (id % 256).toString(16).padStart(2, '0').repeat(WRITE_BYTES),
  encoding: 'hex',
  id,
})

/** Answers to numbered requests, by code ('ack' for an ack). */
function answers(client: TestClient): Map<unknown, string> {
  const out = new Map<unknown, string>()
  for (const m of client.messages() as Array<ServerMessage & { id?: unknown }>) {
    if (m.type === 'ack') out.set(m.id, 'ack')
    else if (m.type === 'error') out.set(m.id, m.code)
  }
  return out
}

describe('writes to a port that has stopped taking bytes (flow control on, instrument not reading)', () => {
  let rig: PtyEngineProcess
  let engine: EngineProcess
  let instrument: Instrument

  before(async () => {
    rig = await PtyEngineProcess.start('stall', { id: 'stalled', flowControl: 'rtscts' })
    engine = rig.engine
  })
  beforeEach(async () => {
    instrument = await rig.reopenInstrument()
    instrument.port.pause()
  })
  after(async () => {
    await rig.stop()
  })

  test('1,000 writes of 200 KB: past the bytes waiting, BUSY at once; the rest TIMEOUT; memory comes back', async (t) => {
    const a = await TestClient.connect(engine.url + '/ws')
    const b = await TestClient.connect(engine.url + '/ws')
    const baseline = await engine.memory()
    for (let id = 0; id < 1000; id++) a.send(hexWrite(id))
    // Served meanwhile: the stalled port holds up nobody else.
    b.send({ type: 'ping', id: 'during' })
    await b.nextMessage('pong', (m) => m.id === 'during', { timeoutMs: 30_000 })
    await waitFor(() => answers(a).size === 1000, {
      what: 'an answer to every write',
      timeoutMs: 60_000,
    })
    const codes = [...answers(a).values()]
    const count = (code: string) => codes.filter((c) => c === code).length
    t.diagnostic(`BUSY ${count('BUSY')}, TIMEOUT ${count('TIMEOUT')}, ack ${count('ack')}`)
    assert.ok(count('BUSY') >= 900, 'a MiB waits per port: five writes of 200 KB')
    assert.ok(count('TIMEOUT') >= 1, 'the port did not take them in time')
    assert.equal(count('BUSY') + count('TIMEOUT') + count('ack'), 1000)
    const timeout = a.messages().find((m) => m.type === 'error' && m.code === 'TIMEOUT')
    assert.match((timeout as { message: string }).message, /did not take the bytes within 10000 ms/)

    await a.close()
    await waitFor(async () => (await engine.clients()).length === 1, { what: 'A to leave' })
    const grown = heldBytes(await engine.memory()) - heldBytes(baseline)
    t.diagnostic(`heap+external ${(grown / MiB).toFixed(1)} MiB over baseline`)
    assert.ok(grown < 16 * MiB, `heap+external grew ${(grown / MiB).toFixed(1)} MiB`)

    // The instrument reads again: what was in progress drains, then the port serves B.
    instrument.port.resume()
    b.send({ type: 'write', port: 'stalled', data: 'hello', id: 'b' })
    await b.nextMessage('ack', (m) => m.id === 'b', { timeoutMs: 30_000 })
    await waitFor(() => instrument.bytes().toString('latin1').endsWith('hello\n'), {
      what: "B's write at the instrument",
    })
    const taken = count('TIMEOUT') + count('ack')
    assert.ok(instrument.bytes().length <= taken * WRITE_BYTES + 6, 'no refused write was sent')
    await b.close()
  })

  test("a client's writes still waiting when it leaves are never sent", async () => {
    const a = await TestClient.connect(engine.url + '/ws')
    for (let id = 1; id <= 4; id++) a.send(hexWrite(id))
    // Answered in order, so the four writes are queued once this is.
    a.send({ type: 'ping', id: 'queued' })
    await a.nextMessage('pong', (m) => m.id === 'queued')
    // The first is in progress (the port took part of it); the other three wait.
    a.ws.terminate()
    await waitFor(async () => (await engine.clients()).length === 0, { what: 'A to leave' })
    instrument.port.resume()
    const b = await TestClient.connect(engine.url + '/ws')
    b.send({ type: 'write', port: 'stalled', data: 'after', id: 'b' })
    await b.nextMessage('ack', (m) => m.id === 'b', { timeoutMs: 30_000 })
    await waitFor(() => instrument.bytes().toString('latin1').endsWith('after\n'), {
      what: "B's write at the instrument",
    })
    const bytes = instrument.bytes()
    assert.equal(bytes.length, WRITE_BYTES + 6, 'only the write in progress went out')
    assert.ok(
      bytes.subarray(0, WRITE_BYTES).every((x) => x === 1),
      'and it was the first',
    )
    await b.close()
  })

  test('a query that times out behind a stalled write is never sent, so its answer cannot reach the next query', async () => {
    const a = await TestClient.connect(engine.url + '/ws')
    a.send(hexWrite(7))
    a.send({ type: 'query', port: 'stalled', data: 'STALE?', timeoutMs: 300, id: 'q1' })
    const timedOut = await a.nextMessage('error', (m) => m.id === 'q1', { timeoutMs: 30_000 })
    assert.equal(timedOut.code, 'TIMEOUT')
    instrument.port.resume()
    await a.nextMessage('ack', (m) => m.id === 7, { timeoutMs: 30_000 })
    a.send({ type: 'query', port: 'stalled', data: 'FRESH?', timeoutMs: 30_000, id: 'q2' })
    await waitFor(() => instrument.lines.some((l) => l.endsWith('FRESH?')), {
      what: 'the second query at the instrument',
    })
    await instrument.write('answer to FRESH\n')
    const reply = await a.nextMessage('reply', (m) => m.id === 'q2')
    assert.equal(reply.data, 'answer to FRESH')
    assert.ok(!instrument.bytes().includes('STALE?'), 'the timed-out command was not written')
    await a.close()
  })
})
