import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { autoDetect } from '@serialport/bindings-cpp'
import { PortController } from '../../../main/core/serial/port-controller'
import type { RxFrame } from '../../../main/core/serial/rx-frame'
import { withSimulator } from '../../../main/core/serial/sim-device'
import { portSettingsSchema, type PortSettingsInput } from '../../../common/settings-schema'
import type { PortInfo } from '../../../common/protocol'
import { Instrument } from '../../helpers/instrument'
import { SocatPair } from '../../helpers/socat-pair'
import { waitFor } from '../../helpers/wait'

const binding = withSimulator(autoDetect())

function controller(input: PortSettingsInput) {
  const states: PortInfo[] = []
  const frames: RxFrame[] = []
  const c = new PortController(
    portSettingsSchema.parse(input),
    { binding },
    { status: (i) => states.push(i), rx: (f) => frames.push(f), tx: () => undefined },
  )
  return { c, states, frames }
}

describe('one port over a real pty', () => {
  const pty = new SocatPair('ctrl')
  after(() => pty.dispose())

  test('unplug → reconnecting, clients told; re-plug → reopened within 2 s, reconnect counted', async () => {
    await pty.plug()
    const { c, states, frames } = controller({ id: 'dev', path: pty.a })
    try {
      assert.deepEqual(await c.open(), { ok: true })
      let instrument = await Instrument.open(pty.b)
      await instrument.write('before\n')
      await waitFor(() => frames.some((f) => f.text === 'before'))

      await pty.unplug()
      await waitFor(() => c.state === 'reconnecting', { what: 'reconnecting' })
      assert.match(c.info().error ?? '', /unplugged|not found/)
      await assert.rejects(c.write(Buffer.from('x')), /not open/)

      const plugged = Date.now()
      await pty.plug()
      await waitFor(() => c.state === 'open', { what: 'reopen', timeoutMs: 4000 })
      const reopenMs = Date.now() - plugged
      assert.ok(reopenMs <= 2000, `reopened after ${reopenMs} ms`)
      assert.equal(c.info().metrics.reconnects, 1)
      assert.ok(states.some((s) => s.state === 'reconnecting'))

      instrument = await Instrument.open(pty.b)
      await instrument.write('after\n')
      await waitFor(() => frames.some((f) => f.text === 'after'))
      assert.deepEqual(
        frames.map((f) => f.text),
        ['before', 'after'],
        'nothing duplicated or replayed',
      )
      await instrument.close()
    } finally {
      await c.close()
    }
  })

  // Which of the read error and the path watchdog notices an unplug first is a race; both
  // must read the same to the technician.
  test('an unplug noticed by the path watchdog is worded as an unplug too', async () => {
    await pty.plug()
    const { c, states } = controller({ id: 'watched', path: pty.a })
    try {
      await c.open()
      c.deviceGone()
      await waitFor(() => states.some((s) => s.state === 'reconnecting'), { what: 'reconnecting' })
      const told = states.find((s) => s.state === 'reconnecting')
      assert.match(told?.error ?? '', /unplugged/)
      await waitFor(() => c.state === 'open', { what: 'reopen' })
    } finally {
      await c.close()
    }
  })

  test('a port held by another program is reported as in use', async () => {
    await pty.plug()
    const first = controller({ id: 'one', path: pty.a })
    const second = controller({ id: 'two', path: pty.a, reconnect: false })
    try {
      await first.c.open()
      const result = await second.c.open()
      assert.equal(result.ok, false)
      assert.equal(second.c.state, 'error')
      assert.match(second.c.info().error ?? '', /in use by another program/)
    } finally {
      await first.c.close()
      await second.c.close()
    }
  })

  test('a missing device is reported as not found; with reconnect it keeps trying until closed', async () => {
    const { c } = controller({ id: 'ghost', path: '/dev/ttyNOPE0' })
    const result = await c.open()
    assert.equal(result.ok, false)
    assert.match(!result.ok ? result.error : '', /not found/)
    assert.equal(c.state, 'reconnecting')
    await c.close()
    assert.equal(c.state, 'closed')
    const noRetry = controller({ id: 'ghost2', path: '/dev/ttyNOPE0', reconnect: false })
    await noRetry.c.open()
    assert.equal(noRetry.c.state, 'error')
  })

  test('metrics count bytes and frames both ways', async () => {
    await pty.plug()
    const { c, frames } = controller({ id: 'm', path: pty.a })
    const instrument = await Instrument.open(pty.b)
    try {
      await c.open()
      await c.write(Buffer.from('PING\n'))
      await instrument.write('a\nbb\n')
      await waitFor(() => frames.length === 2)
      const m = c.info().metrics
      assert.equal(m.bytesOut, 5)
      assert.equal(m.framesOut, 1)
      assert.equal(m.bytesIn, 3)
      assert.equal(m.framesIn, 2)
      assert.ok(m.openSince && m.lastActivity)
    } finally {
      await instrument.close()
      await c.close()
    }
  })
})

describe('the simulated instrument', () => {
  test('streams readings, answers *IDN? and echoes other lines', async () => {
    const { c, frames } = controller({ id: 'demo', path: 'sim:demo' })
    try {
      await c.open()
      await waitFor(() => frames.some((f) => /^T=\d+\.\d\d,RH=\d+\.\d$/.test(f.text)), {
        what: 'a reading',
      })
      const [idn] = await c.query(Buffer.from('*IDN?\n'), 1000, null, {
        starts: (f) => f.text.startsWith('SerialBridge,'),
      })
      assert.match(idn!.text, /^SerialBridge,SimulatedInstrument/)
      await c.write(Buffer.from('hello sim\n'))
      await waitFor(() => frames.some((f) => f.text === 'hello sim'), { what: 'echo' })
    } finally {
      await c.close()
    }
  })
})
