import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { planResume } from '../../../main/core/replay/resume-plan'

describe('where a resume starts', () => {
  test('same epoch: right after the last seq the client has', () => {
    assert.deepEqual(planResume('meter', 41, true, { firstSeq: 1, lastSeq: 90 }), {
      restart: null,
      next: 42,
    })
    // Nothing new since: it goes live at once (next is past the last seq).
    assert.deepEqual(planResume('meter', 90, true, { firstSeq: 1, lastSeq: 90 }).next, 91)
  })

  test('another epoch: a restart gap, then this epoch from its first frame', () => {
    assert.deepEqual(planResume('meter', 1234, false, { firstSeq: 1, lastSeq: 7 }), {
      restart: { type: 'gap', port: 'meter', from: 1235, to: null, restarted: true },
      next: 1,
    })
    // No frame yet in this epoch: nothing to replay after the gap.
    assert.equal(planResume('meter', 5, false, { firstSeq: null, lastSeq: 0 }).next, 1)
  })

  test('a seq past the port numbering in this epoch: the numbering started again', () => {
    const plan = planResume('meter', 500, true, { firstSeq: 1, lastSeq: 20 })
    assert.deepEqual(plan.restart, {
      type: 'gap',
      port: 'meter',
      from: 501,
      to: null,
      restarted: true,
    })
    assert.equal(plan.next, 1)
  })
})
