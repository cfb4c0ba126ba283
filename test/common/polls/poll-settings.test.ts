import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { validatePortSettings } from '../../../common/validation'

describe('poll settings', () => {
  test('a wrong poll names the field: interval too short, a regex that does not compile, duplicate names', () => {
    const r = validatePortSettings({
      path: 'COM3',
      polls: [
        { name: 'volt', command: 'MEAS:VOLT?', intervalMs: 5 },
        { name: 'volt', command: 'MEAS:CURR?', intervalMs: 500, expect: '(' },
        { name: 'bad name', command: 'X', intervalMs: 100 },
      ],
    })
    assert.equal(r.ok, false)
    const text = !r.ok ? r.errors.join('\n') : ''
    assert.match(text, /polls\[0\]\.intervalMs: intervalMs must be at least 20 ms/)
    assert.match(text, /polls\[1\]\.expect: does not compile/)
    assert.match(text, /polls\[2\]\.name: name may use only/)
    assert.match(text, /polls\[1\]\.name: duplicate poll name "volt" \(also polls\[0\]\)/)
  })
})
