import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { timeAxisLabels } from '../../renderer/src/plot/time-axis'

describe("the Plot view's time axis", () => {
  const at = (h: number, m: number, s = 0, day = 2) => new Date(2026, 11, day, h, m, s).getTime()
  const now = at(13, 0)

  test('24-hour, with seconds only when a tick needs them', () => {
    assert.deepEqual(timeAxisLabels([at(0, 55), at(13, 5)], now), ['00:55', '13:05'])
    assert.deepEqual(timeAxisLabels([at(13, 5, 0), at(13, 5, 10)], now), ['13:05:00', '13:05:10'])
  })

  test('the date under the first tick and where the day changes, when not today', () => {
    assert.deepEqual(timeAxisLabels([at(23, 50, 0, 1), at(23, 55, 0, 1), at(0, 0)], now), [
      '23:50\n2026-12-01',
      '23:55',
      '00:00',
    ])
    assert.deepEqual(timeAxisLabels([at(23, 55, 0, 2), at(0, 0, 0, 3)], now), [
      '23:55',
      '00:00\n2026-12-03',
    ])
  })
})
