import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FrameBatch } from '../../common/contract'
import type { PortFrame } from '../../common/engine-api'
import { createFrameBatcher } from '../../main/admin/frame-batcher'
import { nextEvent } from '../helpers/wait'

/** A batcher whose batches can be awaited, with a timeout. */
function batcherUnderTest(options: { hz?: number; maxFrames?: number } = {}) {
  const listeners = new Set<(batch: FrameBatch) => void>()
  const batches: FrameBatch[] = []
  const batcher = createFrameBatcher({
    ...options,
    deliver: (batch) => {
      batches.push(batch)
      for (const listener of listeners) listener(batch)
    },
  })
  const nextBatch = () =>
    nextEvent<FrameBatch>(
      (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      () => true,
      { what: 'a frame batch', timeoutMs: 5000 },
    )
  return { batcher, batches, nextBatch }
}

const frame = (n: number, port = 'p1'): PortFrame => ({
  port,
  direction: n % 2 === 0 ? 'rx' : 'tx',
  ts: 1_700_000_000_000 + n,
  bytes: Buffer.from(`line ${n}\n`),
})

describe('frame batcher', () => {
  it('delivers frames pushed together as one batch, in order, as StreamFrames', async () => {
    const { batcher, batches, nextBatch } = batcherUnderTest()
    const arriving = nextBatch()
    for (let n = 0; n < 100; n++) batcher.push(frame(n, n < 50 ? 'a' : 'b'))
    const batch = await arriving
    assert.equal(batches.length, 1)
    assert.equal(batch.dropped, 0)
    assert.equal(batch.frames.length, 100)
    assert.deepEqual(
      batch.frames.map((f) => Buffer.from(f.data).toString()),
      Array.from({ length: 100 }, (_, n) => `line ${n}\n`),
    )
    assert.deepEqual(batch.frames[0], {
      port: 'a',
      direction: 'rx',
      ts: 1_700_000_000_000,
      data: batch.frames[0]!.data,
    })
    assert.equal(batch.frames[51]!.direction, 'tx')
    assert.equal(batch.frames[99]!.port, 'b')
    batcher.stop()
  })

  it('keeps frames pushed while a batch waits for its slot in that one batch', async () => {
    // 2 batches a second: the second batch waits ~500 ms, far longer than the pushes below.
    const { batcher, nextBatch } = batcherUnderTest({ hz: 2 })
    let arriving = nextBatch()
    batcher.push(frame(0))
    assert.deepEqual(
      (await arriving).frames.map((f) => f.ts),
      [frame(0).ts],
    )

    arriving = nextBatch()
    batcher.push(frame(1))
    await new Promise((resolve) => setImmediate(resolve))
    batcher.push(frame(2))
    await new Promise((resolve) => setImmediate(resolve))
    batcher.push(frame(3))
    assert.equal(batcher.size, 3)
    const second = await arriving
    assert.deepEqual(
      second.frames.map((f) => f.ts),
      [1, 2, 3].map((n) => frame(n).ts),
    )
    assert.equal(batcher.size, 0)
    batcher.stop()
  })

  it('keeps the newest frames when the UI falls behind, and counts the dropped ones once', async () => {
    const { batcher, nextBatch } = batcherUnderTest({ maxFrames: 1000 })
    let arriving = nextBatch()
    for (let n = 0; n < 2500; n++) batcher.push(frame(n))
    assert.equal(batcher.size, 1000)
    const flooded = await arriving
    assert.equal(flooded.frames.length, 1000)
    assert.equal(flooded.dropped, 1500)
    assert.equal(flooded.frames[0]!.ts, frame(1500).ts)
    assert.equal(flooded.frames.at(-1)!.ts, frame(2499).ts)

    arriving = nextBatch()
    batcher.push(frame(9999))
    const next = await arriving
    assert.equal(next.dropped, 0, 'dropped counts only since the previous batch')
    assert.equal(next.frames.length, 1)
    batcher.stop()
  })

  it('copies bytes that are a view on a larger buffer, so IPC clones only the frame', async () => {
    const { batcher, nextBatch } = batcherUnderTest()
    const slab = Buffer.alloc(8192, 0x41)
    const view = slab.subarray(100, 105)
    const whole = new Uint8Array([1, 2, 3])
    const arriving = nextBatch()
    batcher.push({ port: 'p', direction: 'rx', ts: 1, bytes: view })
    batcher.push({ port: 'p', direction: 'rx', ts: 2, bytes: whole })
    const batch = await arriving
    assert.equal(batch.frames[0]!.data.buffer.byteLength, 5)
    assert.deepEqual([...batch.frames[0]!.data], [0x41, 0x41, 0x41, 0x41, 0x41])
    assert.equal(batch.frames[1]!.data, whole, 'a frame that owns its buffer is passed as is')
    batcher.stop()
  })

  it('stop() discards the pending batch and ignores later frames', () => {
    const { batcher, batches } = batcherUnderTest()
    batcher.push(frame(1))
    batcher.stop()
    assert.equal(batcher.size, 0)
    batcher.push(frame(2))
    assert.equal(batcher.size, 0)
    assert.equal(batches.length, 0)
  })
})
