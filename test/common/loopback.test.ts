import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isLoopbackHost } from '../../common/loopback'
import { validateSettings } from '../../common/validation'

describe('loopback addresses', () => {
  test('the loopback names and addresses, in their usual spellings', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      '127.0.0.1',
      '127.1.2.3',
      '127.255.255.255',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '0000:0000:0000:0000:0000:0000:0000:0001',
      '::ffff:127.0.0.1',
    ]) {
      assert.equal(isLoopbackHost(host), true, host)
    }
  })

  test('a name that only starts with "127." is not an address, so not loopback', () => {
    for (const host of [
      '127.attacker.example',
      '127.0.0.1.nip.io',
      '127.0.0',
      '127.0.0.256',
      '127.0.0.01',
      '0.0.0.0',
      '::',
      '::2',
      '1::1',
      '::ffff:10.0.0.1',
      'localhost.example',
      '192.168.1.20',
      '',
    ]) {
      assert.equal(isLoopbackHost(host), false, host)
    }
  })

  test('a host like 127.attacker.example needs a token, like any other name', () => {
    const r = validateSettings({ server: { host: '127.attacker.example' } })
    assert.equal(r.ok, false)
    assert.match(!r.ok ? r.errors.join() : '', /server\.token: a token is required/)
  })
})
