import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { PortState } from '../../../common/protocol'
import { startPtyBridge, type PtyBridge } from '../../helpers/pty-bridge'
import { waitFor } from '../../helpers/wait'

/** Port settings that are not the serial line's (polls, parse, ...) apply to the open port. */
describe('port settings applied without a reopen', () => {
  let rig: PtyBridge
  const states: PortState[] = []

  before(async () => {
    rig = await startPtyBridge('live', { id: 'p', baudRate: 115200 })
    rig.bridge.engine.on('port', ({ port }) => void states.push(port.state))
  })
  after(async () => {
    await rig.stop()
  })

  const info = () => rig.bridge.engine.listPorts()[0]!

  test('polls, parse, terminator, reconnect and autoOpen apply to the open port as it is', async () => {
    const before = info()
    states.length = 0
    const updated = await rig.bridge.engine.updatePort('p', {
      ...before.settings,
      parse: { mode: 'keyValue' },
      polls: [{ name: 'v', command: 'V?', intervalMs: 1000 }],
      writeTerminator: '\r\n',
      reconnect: false,
      autoOpen: false,
    })
    assert.ok(updated.ok, updated.ok ? '' : updated.errors.join('; '))
    assert.equal(info().metrics.openSince, before.metrics.openSince, 'the same open line')
    assert.ok(states.length > 0 && states.every((s) => s === 'open'), states.join(', '))
    // The poll runs at once, and its command has the new terminator.
    await rig.instrument.waitForLine('V?\r')
    await rig.instrument.write('T=21.5\n')
    await waitFor(() => info().channels?.some((c) => c.name === 'T' && c.last === 21.5), {
      what: 'the new parse setting at work',
    })
  })

  test('a setting of the line (baud rate) closes and reopens the port', async () => {
    const before = info()
    states.length = 0
    const updated = await rig.bridge.engine.updatePort('p', {
      ...before.settings,
      baudRate: 57600,
      autoOpen: true,
    })
    assert.ok(updated.ok)
    await waitFor(() => info().state === 'open', { what: 'open again' })
    assert.ok(states.includes('closed') && states.includes('opening'), states.join(', '))
  })
})
