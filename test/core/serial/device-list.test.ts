import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { autoDetect } from '@serialport/bindings-cpp'
import { SerialPortMock } from 'serialport'
import { diffDevices, findMatch, listDevices } from '../../../main/core/serial/device-list'
import { PortManager } from '../../../main/core/serial/port-manager'
import type { DeviceChange } from '../../../common/engine-api'
import { portSettingsSchema } from '../../../common/settings-schema'

describe('device listing', () => {
  test('the real binding: a list that fails (udevadm missing) is an error result, never a throw', async () => {
    const result = await listDevices(autoDetect())
    // On a machine with udevadm the list works; either way nothing throws.
    if (!result.ok)
      assert.match(result.error, /Could not list serial ports: .+ A path typed by hand still works/)
    else assert.ok(Array.isArray(result.devices))
  })

  test('a binding whose list rejects gives the same error result (stand-in for a driver hiccup)', async () => {
    const result = await listDevices({ list: () => Promise.reject(new Error('driver hiccup')) })
    assert.deepEqual(result, {
      ok: false,
      error: 'Could not list serial ports: driver hiccup. A path typed by hand still works.',
      devices: [],
    })
  })

  test('added and removed devices are told apart', () => {
    const a = { path: 'COM3', serialNumber: 'A1' }
    const b = { path: 'COM4' }
    assert.deepEqual(diffDevices([a], [b]), { added: [b], removed: [a], devices: [b] })
  })

  test('match by serial number and VID/PID, case-insensitive hex', () => {
    const devices = [
      { path: 'COM3', serialNumber: 'X', vendorId: '0403', productId: '6001' },
      { path: 'COM7', serialNumber: 'Y', vendorId: '2341', productId: '0043' },
    ]
    assert.equal(findMatch(devices, { serialNumber: 'Y' })?.path, 'COM7')
    assert.equal(findMatch(devices, { vendorId: '2341', productId: '0043' })?.path, 'COM7')
    assert.equal(findMatch(devices, { vendorId: '0403', productId: '6001' })?.path, 'COM3')
    assert.equal(findMatch(devices, { serialNumber: 'Z' }), undefined)
    assert.equal(findMatch(devices, {}), undefined)
  })

  test('a periodic re-list reports devices plugged in and out (binding-mock stands in for USB hot-plug)', async () => {
    const mock = SerialPortMock.binding
    mock.reset()
    mock.createPort('/dev/ttyUSB0', { manufacturer: 'FTDI', vendorId: '0403', productId: '6001' })
    const changes: DeviceChange[] = []
    let notify = (): void => {}
    const manager = new PortManager(
      { binding: mock, deviceListIntervalMs: 20 },
      {
        status: () => {},
        removed: () => {},
        rx: () => {},
        tx: () => {},
        devices: (c) => (changes.push(c), notify()),
      },
    )
    const nextChange = () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no device change within 5 s')), 5000)
        notify = () => (clearTimeout(timer), resolve())
      })
    try {
      // The engine turns polling on while a UI listens for device changes.
      manager.setDevicePolling(true)
      await manager.listDevices()
      const plugged = nextChange()
      mock.createPort('/dev/ttyUSB1', { vendorId: '2341', productId: '0043' })
      await plugged
      assert.deepEqual(
        changes[0]!.added.map((d) => d.path),
        ['/dev/ttyUSB1'],
      )
      assert.equal(changes[0]!.devices.length, 2)
      const unplugged = nextChange()
      mock.reset()
      await unplugged
      assert.deepEqual(changes[1]!.removed.map((d) => d.path).sort(), [
        '/dev/ttyUSB0',
        '/dev/ttyUSB1',
      ])
    } finally {
      await manager.stop()
      mock.reset()
    }
  })

  test('a device that comes back under another name is found by its serial number (binding-mock: ptys have no serial numbers)', async () => {
    const mock = SerialPortMock.binding
    mock.reset()
    mock.createPort('/dev/ttyACM1', { vendorId: '2341', productId: '0043' })
    const manager = new PortManager(
      { binding: mock, deviceListIntervalMs: 60_000 },
      { status: () => {}, removed: () => {}, rx: () => {}, tx: () => {}, devices: () => {} },
    )
    try {
      const port = manager.add(
        portSettingsSchema.parse({
          id: 'uno',
          path: '/dev/ttyACM0',
          match: { serialNumber: '1', vendorId: '2341' },
        }),
      )
      assert.deepEqual(await port.open(), { ok: true })
      assert.equal(port.path, '/dev/ttyACM1')
      const listed = await manager.listDevices()
      assert.equal(listed.ok && listed.devices[0]?.serialNumber, '1')
    } finally {
      await manager.stop()
      mock.reset()
    }
  })
})
