import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { PollSchedule } from '../../../main/core/polls/poll-schedule'

describe('a poll schedule', () => {
  test('ticks fall on start + k × interval, the first one interval after the start', () => {
    const s = new PollSchedule(1000, 50)
    assert.equal(s.due(1000), null, 'no tick at the start itself')
    assert.equal(s.delayToNext(1000), 50)
    assert.deepEqual(s.due(1050), { tick: 1, missed: 0 })
    assert.equal(s.delayToNext(1053), 47, 'a late reply does not move the next tick')
    assert.equal(s.due(1099.5), null, 'a timer early by a fraction is not a tick')
    assert.equal(s.delayToNext(1099.5), 0.5)
    assert.deepEqual(s.due(1102), { tick: 2, missed: 0 })
    assert.equal(s.delayToNext(1102), 48)
  })

  test('after a stall the ticks passed over are counted, and only one fires', () => {
    const s = new PollSchedule(0, 20)
    s.due(20)
    assert.deepEqual(s.due(530), { tick: 26, missed: 24 })
    assert.equal(s.delayToNext(530), 10, 'back on the schedule at once')
    assert.equal(s.due(535), null)
  })
})
