import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { deviceConflict } from '../../common/port-device'
import { validateSettings } from '../../common/validation'

describe('one device, one port', () => {
  test('the same path, COM names in any case, and the same USB match are one device', () => {
    const ports = [
      { id: 'meter', path: '/dev/ttyUSB0' },
      { id: 'balance', path: 'COM3' },
      { id: 'scope', path: 'COM9', match: { serialNumber: 'A1', vendorId: '0403' } },
    ]
    assert.match(
      deviceConflict({ id: 'x', path: '/dev/ttyUSB0' }, ports)?.message ?? '',
      /^\/dev\/ttyUSB0 is already used by port "meter"/,
    )
    assert.equal(deviceConflict({ id: 'x', path: '\\\\.\\com3' }, ports)?.other.id, 'balance')
    const sameMatch = deviceConflict(
      { id: 'x', path: 'COM4', match: { serialNumber: 'A1', vendorId: '0403' } },
      ports,
    )
    assert.equal(sameMatch?.field, 'match')
    assert.match(sameMatch?.message ?? '', /port "scope" already matches this device/)
    assert.equal(deviceConflict({ id: 'x', path: '/dev/ttyUSB1' }, ports), null)
    assert.equal(
      deviceConflict({ id: 'y', path: 'COM4', match: { serialNumber: 'B2' } }, ports),
      null,
    )
    assert.equal(deviceConflict({ id: 'meter', path: '/dev/ttyUSB0' }, ports, 'meter'), null)
  })

  test('a settings file with two ports on one device names the field and the other port', () => {
    const checked = validateSettings({
      ports: [
        { id: 'a', path: '/dev/ttyUSB0' },
        { id: 'b', path: '/dev/ttyUSB0' },
      ],
    })
    assert.deepEqual(checked.ok ? [] : checked.errors, [
      'ports[1].path: /dev/ttyUSB0 is already used by port "a": one device can belong to one port only (ports[0])',
    ])
  })

  test('simulated ports are not devices: several ports may use sim:demo or sim:replay', () => {
    const ports = [
      { id: 'a', path: 'sim:demo' },
      { id: 'b', path: 'sim:replay' },
    ]
    assert.equal(deviceConflict({ id: 'c', path: 'sim:demo' }, ports), null)
    assert.equal(deviceConflict({ id: 'd', path: 'sim:replay' }, ports), null)
  })
})
