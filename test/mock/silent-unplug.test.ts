import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { DeviceChange } from '../../common/engine-api'
import { startEngine } from '../helpers/engine-fixture'
import { MockLine } from '../helpers/mock-line'
import { nextEvent, waitFor } from '../helpers/wait'
import { TestClient } from '../helpers/ws-client'

// Only binding-mock can model this one: a pty always reports its hang-up.
describe('an unplug the port never reports (Windows may send no close event)', () => {
  const line = new MockLine('silent')
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let stopWatching: () => void = () => undefined

  before(async () => {
    await line.plug()
    bridge = await startEngine(
      { ports: [{ id: 'dev', path: line.a }] },
      { binding: line.binding, deviceListIntervalMs: 100 },
    )
    // The device list is polled while someone watches it (on Windows, always).
    stopWatching = bridge.engine.on('devices', () => undefined)
  })
  after(async () => {
    stopWatching()
    await bridge.stop()
    await line.dispose()
  })

  test('is caught by the device-list watchdog: clients see reconnecting, then open again', async () => {
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'the port open' })
    const c = await TestClient.connect(bridge.url + '/ws')
    c.send({ type: 'subscribe', ports: ['dev'] })
    await c.nextMessage('subscribed')
    const removed = nextEvent<DeviceChange>(
      (l) => bridge.engine.on('devices', l),
      (change) => change.removed.some((d) => d.path === line.a),
      { what: 'the device to leave the list' },
    )
    // The watchdog compares with its last list: one that has the device.
    const listed = await bridge.engine.listDevices()
    assert.ok(listed.devices.some((d) => d.path === line.a))
    await line.unplug({ silent: true })
    await removed
    const status = await c.nextMessage('status', (m) => m.state === 'reconnecting')
    assert.match(status.error ?? '', /unplugged|not found/)

    const from = c.received.length
    await line.plug()
    await c.nextMessage('status', (m) => m.state === 'open', { from, timeoutMs: 10_000 })
    await line.instrument.write('back\n')
    await c.nextMessage('data', (m) => m.data === 'back', { from })
    c.send({ type: 'write', port: 'dev', data: 'ok?', id: 'w' })
    await c.nextMessage('ack', (m) => m.id === 'w')
    await line.instrument.waitForLine('ok?')
    assert.equal(bridge.engine.listPorts()[0]?.metrics.reconnects, 1)
    await c.close()
  })
})
