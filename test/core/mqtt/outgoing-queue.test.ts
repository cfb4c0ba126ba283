import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { OutgoingQueue, type OutgoingMessage } from '../../../main/core/mqtt/outgoing-queue'

const msg = (n: number, bytes = 10): OutgoingMessage => ({
  topic: 't',
  payload: Buffer.alloc(bytes - 1, n % 256),
  retain: false,
})
const drain = (q: OutgoingQueue): number[] => {
  const out: number[] = []
  for (let m = q.shift(); m; m = q.shift()) out.push(m.payload[0]!)
  return out
}

describe('outgoing queue', () => {
  test('keeps the newest messages when full by count, and counts what it dropped', () => {
    const q = new OutgoingQueue({ maxMessages: 3, maxBytes: 1_000_000 })
    for (let i = 0; i < 10; i++) q.push(msg(i))
    assert.equal(q.length, 3)
    assert.equal(q.dropped, 7)
    assert.deepEqual(drain(q), [7, 8, 9])
    assert.equal(q.bytes, 0)
  })

  test('is bounded by bytes too (topic and payload)', () => {
    const q = new OutgoingQueue({ maxMessages: 1000, maxBytes: 100 })
    for (let i = 0; i < 25; i++) q.push(msg(i, 10))
    assert.equal(q.length, 10)
    assert.equal(q.bytes, 100)
    assert.equal(q.dropped, 15)
    q.setLimits({ maxMessages: 4, maxBytes: 100 })
    assert.deepEqual(drain(q), [21, 22, 23, 24])
  })

  test('unacknowledged messages go back to the front, in order, within the bounds', () => {
    const q = new OutgoingQueue({ maxMessages: 4, maxBytes: 1_000_000 })
    q.push(msg(3))
    q.push(msg(4))
    q.returnToFront([msg(0), msg(1), msg(2)])
    assert.equal(q.dropped, 1, 'the oldest went')
    assert.deepEqual(drain(q), [1, 2, 3, 4])
  })

  test('stays compact over a long run of pushes and shifts', () => {
    const q = new OutgoingQueue({ maxMessages: 10_000, maxBytes: 1_000_000_000 })
    for (let i = 0; i < 100_000; i++) {
      q.push(msg(i))
      if (i % 2 === 1) q.shift()
    }
    // Full at 10,000 after the last push, one shifted: the newest 9,999 (90,001 to 99,999).
    assert.equal(q.length, 9_999)
    assert.equal(q.shift()!.payload[0], 90_001 % 256)
  })
})
