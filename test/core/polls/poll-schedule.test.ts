import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { PollSchedule } from '../../../main/core/polls/poll-schedule'

describe('a poll schedule', () => {
  test('ticks fall on start + k × interval, whenever the timer runs', () => {
    const s = new PollSchedule(1000, 50)
    assert.deepEqual(s.due(1000), { tick: 0, missed: 0 })
    assert.equal(s.delayToNext(1003), 47, 'a late reply does not move the next tick')
    assert.equal(s.due(1049.5), null, 'a timer early by a fraction is not a tick')
    assert.equal(s.delayToNext(1049.5), 0.5)
    assert.deepEqual(s.due(1052), { tick: 1, missed: 0 })
    assert.equal(s.delayToNext(1052), 48)
  })

  test('after a stall the ticks passed over are counted, and only one fires', () => {
    const s = new PollSchedule(0, 20)
    s.due(0)
    assert.deepEqual(s.due(530), { tick: 26, missed: 25 })
    assert.equal(s.delayToNext(530), 10, 'back on the schedule at once')
    assert.equal(s.due(535), null)
  })
})
