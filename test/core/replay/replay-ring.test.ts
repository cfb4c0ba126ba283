import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ReplayRing } from '../../../main/core/replay/replay-ring'
import { RxFrame } from '../../../main/core/serial/rx-frame'

const ASCII = { text: null, valid: true }
const frame = (seq: number, bytes: Buffer | string = `line ${seq}`) =>
  new RxFrame('meter', Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), 1000 + seq, seq, ASCII)
const many = { frames: 1_000_000, bytes: 1 << 30 }

describe('replay ring', () => {
  test('keeps the newest frames within the frame bound, and knows the numbering it saw', () => {
    const ring = new ReplayRing()
    assert.equal(ring.oldestSeq, null)
    assert.equal(ring.firstSeq, null)
    for (let seq = 1; seq <= 25; seq++) ring.push(frame(seq), { frames: 10, bytes: 1 << 20 })
    assert.deepEqual([ring.size, ring.oldestSeq, ring.lastSeq, ring.firstSeq], [10, 16, 25, 1])
    assert.equal(ring.get(15), undefined)
    assert.equal(ring.get(16)?.text, 'line 16')
    assert.equal(ring.get(25)?.text, 'line 25')
    assert.equal(ring.get(26), undefined)
  })

  test('keeps its bytes within the byte bound, older frames first', () => {
    const ring = new ReplayRing()
    for (let seq = 1; seq <= 10; seq++)
      ring.push(frame(seq, Buffer.alloc(100)), { frames: 100, bytes: 350 })
    assert.deepEqual([ring.size, ring.bytes, ring.oldestSeq], [3, 300, 8])
    // A frame larger than the whole bound is not kept, but its seq is known.
    ring.push(frame(11, Buffer.alloc(400)), { frames: 100, bytes: 350 })
    assert.deepEqual([ring.size, ring.bytes, ring.oldestSeq, ring.lastSeq], [0, 0, null, 11])
  })

  test('lowered bounds apply at once (trim)', () => {
    const ring = new ReplayRing()
    for (let seq = 1; seq <= 50; seq++) ring.push(frame(seq), many)
    ring.trim({ frames: 5, bytes: 1 << 20 })
    assert.deepEqual([ring.size, ring.oldestSeq], [5, 46])
  })

  test('holds copies, never views on the read buffer (which would keep all of it alive)', () => {
    const readBuffer = Buffer.alloc(256 * 1024)
    readBuffer.write('hello\n', 1000)
    const view = readBuffer.subarray(1000, 1005)
    const ring = new ReplayRing()
    ring.push(new RxFrame('meter', view, 1, 1, ASCII), many)
    const kept = ring.get(1)!
    assert.equal(kept.text, 'hello')
    assert.notEqual(kept.bytes.buffer, readBuffer.buffer)
    readBuffer.fill(0)
    assert.equal(kept.bytes.toString(), 'hello')
  })

  test('keeps what the frame carries: decoded text, validity, poll and values', () => {
    const decoded = new RxFrame('meter', Buffer.from('c3a9', 'hex'), 5, 1, {
      text: 'é',
      valid: true,
    })
    decoded.poll = 'volt'
    decoded.values = { V: 1.5 }
    decoded.units = { V: 'V' }
    const ring = new ReplayRing()
    ring.push(decoded, many)
    const kept = ring.get(1)!
    assert.deepEqual(
      [kept.text, kept.valid, kept.poll, kept.values, kept.units, kept.ts],
      ['é', true, 'volt', { V: 1.5 }, { V: 'V' }, 5],
    )
  })

  test('stays consistent over a long run (eviction compacts its storage)', () => {
    const ring = new ReplayRing()
    for (let seq = 1; seq <= 20_000; seq++) {
      ring.push(frame(seq), { frames: 3000, bytes: 1 << 20 })
      if (seq > 3000 && seq % 997 === 0) assert.equal(ring.get(seq - 2999)?.seq, seq - 2999)
    }
    assert.deepEqual([ring.size, ring.oldestSeq, ring.newest()?.seq], [3000, 17_001, 20_000])
    ring.clear()
    assert.deepEqual([ring.size, ring.lastSeq, ring.firstSeq], [0, 0, null])
  })
})
