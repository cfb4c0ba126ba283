import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { PortState } from '../../../common/protocol'
import { REOPEN_KEYS } from '../../../main/core/serial/reopen-keys'
import { startEngine } from '../../helpers/engine-fixture'
import { Instrument } from '../../helpers/instrument'
import { tempRecordings } from '../../helpers/recordings'
import { SocatPair } from '../../helpers/socat-pair'
import { waitFor } from '../../helpers/wait'

/** Which port settings reopen the serial line, and that the others apply to the open port. */
describe('port settings that need a reopen', () => {
  const pty = new SocatPair('reopen')
  const folder = tempRecordings('reopen')
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let instrument: Instrument
  const states: PortState[] = []

  before(async () => {
    await pty.plug()
    bridge = await startEngine({ ports: [{ id: 'p', path: pty.a }] }, { recordingsDir: folder.dir })
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'open' })
    instrument = await Instrument.open(pty.b)
    bridge.engine.on('port', ({ port }) => void states.push(port.state))
  })
  after(async () => {
    await instrument.close()
    await bridge.stop()
    await pty.dispose()
    folder.dispose()
  })

  test('the list is the settings of the serial line, and nothing else', () => {
    assert.deepEqual(
      [...REOPEN_KEYS].sort(),
      [
        'baudRate',
        'dataBits',
        'dtr',
        'encoding',
        'flowControl',
        'framing',
        'match',
        'parity',
        'path',
        'replay',
        'rts',
        'stopBits',
      ].sort(),
    )
  })

  test('recording, terminator, reconnect and autoOpen apply to the open port without a reopen', async () => {
    const before = bridge.engine.listPorts()[0]!
    states.length = 0
    const updated = await bridge.engine.updatePort('p', {
      ...before.settings,
      writeTerminator: '\r\n',
      reconnect: false,
      autoOpen: false,
      record: { enabled: true, tx: false },
    })
    assert.ok(updated.ok)
    const now = bridge.engine.listPorts()[0]!
    assert.equal(now.metrics.openSince, before.metrics.openSince, 'the same open line')
    assert.ok(
      states.every((s) => s === 'open'),
      `states seen: ${states.join(', ')}`,
    )
    assert.equal(now.settings.writeTerminator, '\r\n')
    assert.equal(now.recording?.state, 'recording')
    // The new terminator applies to the next write on the same line.
    const written = await bridge.engine.writePort('p', Buffer.from('X\r\n'))
    assert.ok(written.ok)
    await waitFor(() => instrument.bytes().toString().endsWith('X\r\n'), { what: 'the write' })
  })

  test('a setting of the line (baud rate) closes and reopens the port', async () => {
    const before = bridge.engine.listPorts()[0]!
    states.length = 0
    assert.ok((await bridge.engine.updatePort('p', { ...before.settings, baudRate: 57600 })).ok)
    await waitFor(() => bridge.engine.listPorts()[0]?.state === 'open', { what: 'open again' })
    assert.ok(states.includes('closed') && states.includes('opening'), states.join(', '))
  })
})
