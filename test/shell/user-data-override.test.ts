import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { userDataOverride } from '../../main/shell/user-data-override'

describe('SERIAL_BRIDGE_USER_DATA', () => {
  const env = { SERIAL_BRIDGE_USER_DATA: '/tmp/sb-profile' }

  it('gives an unpackaged build (tests, development) a separate profile', () => {
    assert.equal(userDataOverride(false, env), '/tmp/sb-profile')
    assert.equal(userDataOverride(false, {}), null)
    assert.equal(userDataOverride(false, { SERIAL_BRIDGE_USER_DATA: '' }), null)
  })

  it('is ignored by a packaged build', () => {
    assert.equal(userDataOverride(true, env), null)
  })
})
