import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { ServerMessage } from '../../../common/protocol'
import { MAX_BATCH_FRAMES } from '../../../main/core/values/sample-batches'
import { startPtyBridge, type PtyBridge } from '../../helpers/pty-bridge'
import { waitFor } from '../../helpers/wait'
import { ControlClients } from '../../helpers/control-clients'
import type { TestClient } from '../../helpers/ws-client'

type Samples = Extract<ServerMessage, { type: 'samples' }>

/** `subscribe` with `samples`: a port's numbers in one message per interval (feature `samples`). */
describe('samples batches', () => {
  let rig: PtyBridge
  const clients = new ControlClients(() => rig.bridge.url)
  const connect = () => clients.connect()
  const samplesOf = (c: TestClient, from = 0) =>
    c
      .messages()
      .slice(from)
      .filter((m): m is Samples => m.type === 'samples')

  before(async () => {
    rig = await startPtyBridge('samples', {
      id: 'meter',
      baudRate: 115200,
      parse: { mode: 'keyValue' },
    })
  })
  after(async () => {
    await clients.closeAll()
    await rig.stop()
  })

  test('frames of one interval in one message: ts, a column per channel with nulls, count; no data messages', async () => {
    const plot = await connect()
    const watcher = await connect()
    plot.send({ type: 'subscribe', ports: ['meter'], samples: { intervalMs: 200 }, id: 1 })
    assert.deepEqual(await plot.nextMessage('subscribed'), {
      type: 'subscribed',
      ports: ['meter'],
      samples: { meter: 200 },
      id: 1,
    })
    watcher.send({ type: 'subscribe', ports: ['meter'] })
    await watcher.nextMessage('subscribed')
    const lines = ['T=20C,RH=40', 'not a reading', 'T=21C', 'RH=42', 'T=22C,RH=43']
    await rig.instrument.write(lines.join('\n') + '\n')
    await watcher.nextMessage('data', (m) => m.data === 'T=22C,RH=43')
    const [batch] = await waitFor(() => samplesOf(plot).length > 0 && samplesOf(plot), {
      what: 'a samples message',
    })
    assert.equal(batch!.count, 4, 'the frame that did not parse is not a sample')
    assert.equal(batch!.ts.length, 4)
    assert.ok(batch!.ts.every((t, i) => Number.isInteger(t) && (i === 0 || t >= batch!.ts[i - 1]!)))
    assert.deepEqual(batch!.values, { T: [20, 21, null, 22], RH: [40, null, 42, 43] })
    assert.deepEqual(batch!.units, { T: 'C' })
    assert.equal(
      plot.messages().filter((m) => m.type === 'data').length,
      0,
      'samples instead of data',
    )
    assert.equal(watcher.messages().filter((m) => m.type === 'samples').length, 0)
  })

  test('a stream of readings: at most one message per interval, every frame in exactly one', async () => {
    const plot = await connect()
    plot.send({ type: 'subscribe', ports: ['meter'], samples: { intervalMs: 100 } })
    await plot.nextMessage('subscribed')
    const total = 300
    const started = Date.now()
    for (let i = 0; i < total; i += 50) {
      const chunk = Array.from({ length: 50 }, (_, j) => `N=${i + j}`)
      await rig.instrument.write(chunk.join('\n') + '\n')
    }
    const all = await waitFor(
      () => {
        const got = samplesOf(plot)
        return got.reduce((n, b) => n + b.count, 0) >= total && got
      },
      { what: `${total} samples` },
    )
    const elapsed = Date.now() - started
    assert.deepEqual(
      all.flatMap((b) => b.values.N),
      Array.from({ length: total }, (_, i) => i),
    )
    assert.ok(all.length <= Math.ceil(elapsed / 100) + 1, `${all.length} messages in ${elapsed} ms`)
  })

  test(`a batch is sent early when it holds ${MAX_BATCH_FRAMES} frames`, async () => {
    const plot = await connect()
    plot.send({ type: 'subscribe', ports: ['meter'], samples: { intervalMs: 60_000 } })
    await plot.nextMessage('subscribed')
    const lines = Array.from({ length: MAX_BATCH_FRAMES + 10 }, (_, i) => `N=${i}`)
    await rig.instrument.write(lines.join('\n') + '\n')
    const [batch] = await waitFor(() => samplesOf(plot).length > 0 && samplesOf(plot), {
      what: 'the full batch',
      timeoutMs: 20_000,
    })
    assert.equal(batch!.count, MAX_BATCH_FRAMES)
    assert.equal(batch!.values.N![0], 0)
    await plot.close()
  })

  test('subscribing again without samples brings data back; bad intervals name the field', async () => {
    const c = await connect()
    c.send({ type: 'subscribe', ports: ['meter'], samples: { intervalMs: 5 }, id: 'bad' })
    const bad = await c.nextMessage('error', (m) => m.id === 'bad')
    assert.deepEqual(
      [bad.code, bad.message],
      ['BAD_MESSAGE', 'samples.intervalMs: intervalMs must be at least 10 ms'],
    )
    c.send({ type: 'subscribe', ports: '*', samples: { intervalMs: 50 } })
    assert.deepEqual((await c.nextMessage('subscribed')).samples, { meter: 50 })
    c.send({ type: 'subscribe', ports: ['meter'], id: 'data' })
    const back = await c.nextMessage('subscribed', (m) => m.id === 'data')
    assert.equal(back.samples, undefined)
    await rig.instrument.write('T=30\n')
    const data = await c.nextMessage('data', (m) => m.data === 'T=30')
    assert.deepEqual(data.values, { T: 30 })
  })

  test('a client that leaves with a batch pending is forgotten, and the others go on', async () => {
    const leaving = await connect()
    const staying = await connect()
    for (const c of [leaving, staying]) {
      c.send({ type: 'subscribe', ports: ['meter'], samples: { intervalMs: 300 } })
      await c.nextMessage('subscribed')
    }
    await rig.instrument.write('T=1\n')
    await waitFor(() => rig.bridge.engine.listPorts()[0]!.channels?.some((x) => x.last === 1))
    await leaving.close()
    const [batch] = await waitFor(() => samplesOf(staying).length > 0 && samplesOf(staying))
    assert.deepEqual(batch!.values, { T: [1] })
  })
})
