import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SeqTracker } from '../../../clients/js/src/seq-tracker'

describe('SeqTracker: what a stream yields for the seq numbers it sees', () => {
  test('consecutive frames are taken; a jump is a gap naming the missing range', () => {
    const t = new SeqTracker()
    t.connected('E1', false)
    assert.deepEqual(t.frame(7), { accept: true }, 'the first frame starts the count')
    assert.deepEqual(t.frame(8), { accept: true })
    assert.deepEqual(t.frame(12), {
      accept: true,
      gap: { from: 9, to: 11, restarted: false },
    })
  })

  test('within one epoch a number seen already is a duplicate and is dropped', () => {
    const t = new SeqTracker()
    t.connected('E1', false)
    t.frame(1)
    t.frame(2)
    t.connected('E1', true)
    assert.deepEqual(t.frame(2), { accept: false })
    assert.deepEqual(t.frame(3), { accept: true })
    assert.equal(t.resumeFrom('E1'), 3)
    assert.equal(t.resumeFrom('E2'), undefined, 'never resume across epochs')
  })

  test('without epochs, numbers going back mean the server restarted', () => {
    const t = new SeqTracker()
    t.connected(undefined, false)
    t.frame(40)
    assert.equal(t.connected(undefined, false), null, 'nothing to tell before a frame comes')
    assert.deepEqual(t.frame(1), { accept: true, gap: { from: 41, to: null, restarted: true } })
    assert.deepEqual(t.frame(2), { accept: true })
  })

  test('a new epoch without resume is a restart gap, told at once', () => {
    const t = new SeqTracker()
    t.connected('E1', false)
    t.frame(5)
    assert.deepEqual(t.connected('E2', false), { from: 6, to: null, restarted: true })
    assert.deepEqual(t.frame(9), { accept: true }, 'the new epoch starts where it is')
  })

  test("the server's gaps are passed on, clipped to what was not seen", () => {
    const t = new SeqTracker()
    t.connected('E1', false)
    t.frame(1234)
    t.connected('E1', true)
    assert.deepEqual(t.serverGap(1235, 1299, false), { from: 1235, to: 1299, restarted: false })
    assert.deepEqual(t.frame(1300), { accept: true }, 'no second gap for the same range')
    assert.equal(t.serverGap(1290, 1300, false), null, 'already seen')
  })

  test("a server restart during resume: its gap, then the new epoch's frames", () => {
    const t = new SeqTracker()
    t.connected('E1', false)
    t.frame(1234)
    t.connected('E2', true)
    assert.deepEqual(t.serverGap(1235, null, true), { from: 1235, to: null, restarted: true })
    assert.deepEqual(t.serverGap(1, 4, false), { from: 1, to: 4, restarted: false })
    assert.deepEqual(t.frame(5), { accept: true })
    assert.deepEqual(t.frame(5), { accept: false })
    assert.equal(t.resumeFrom('E2'), 5)
  })
})
