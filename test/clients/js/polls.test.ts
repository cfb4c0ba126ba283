import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { Frame, type PortStream } from '../../../clients/js/src/index'
import { Clients, MeterRig } from './helpers/rig'
import { respond } from '../../helpers/respond'

// Protocol feature "polls" (docs/protocol.md, Polls): startPoll, stopPoll, and query's expect
// and expectLines, against a real headless bridge on a socat pty.

/** The next frame of the stream that is a reply of the poll `name`. */
async function nextPollFrame(stream: PortStream, name: string): Promise<Frame> {
  for (;;) {
    const next = await stream.next()
    assert.equal(next.done, false, 'the stream ended early')
    if (next.value instanceof Frame && next.value.poll === name) return next.value
  }
}

describe('polls (server feature "polls")', () => {
  let rig: MeterRig
  const clients = new Clients()
  let stopResponding = (): void => undefined
  let volts = 0

  before(async () => {
    rig = await MeterRig.start()
    stopResponding = respond(rig.meter, (line) => {
      if (line === 'MEAS:VOLT?') return `V=${(volts += 1)}\n`
      if (line === 'NOISY?') return 'noise\nV=1.5\n'
      if (line === 'TWO?') return 'first\nsecond\n'
      return undefined
    })
  })
  afterEach(() => clients.closeAll())
  after(async () => {
    stopResponding()
    await rig?.stop()
  })

  test('startPoll: replies arrive in the stream tagged with the poll; stopPoll ends it', async () => {
    const { bridge } = await clients.direct(rig.headless.url)
    assert.ok(bridge.hello.features?.includes('polls'), 'hello.features lists "polls"')
    const stream = bridge.stream('meter')
    await stream.ready
    await bridge.startPoll('meter', 'volt', 'MEAS:VOLT?', { intervalMs: 100, timeoutMs: 1000 })
    const first = await nextPollFrame(stream, 'volt')
    const second = await nextPollFrame(stream, 'volt')
    assert.match(first.text, /^V=\d+$/)
    assert.ok(second.seq > first.seq)
    await bridge.stopPoll('meter', 'volt')
    stream.close()
  })

  test('a poll this client started is started again after a reconnect', async () => {
    const { bridge, events, proxy, reconnected } = await clients.viaProxy(rig.headless.url)
    const stream = bridge.stream('meter')
    await stream.ready
    await bridge.startPoll('meter', 'volt', 'MEAS:VOLT?', { intervalMs: 100 })
    await nextPollFrame(stream, 'volt')
    const seen = events.length
    proxy.cut()
    await reconnected(seen)
    const asked = rig.meter.lines.length
    const after = await nextPollFrame(stream, 'volt')
    assert.match(after.text, /^V=\d+$/)
    assert.ok(rig.meter.lines.slice(asked).includes('MEAS:VOLT?'), 'the command is sent again')
    await bridge.stopPoll('meter', 'volt')
  })

  test('query with expect skips frames that do not match; expectLines gathers lines', async () => {
    const { bridge } = await clients.direct(rig.headless.url)
    const matched = await bridge.query('meter', 'NOISY?', { expect: /^V=/, timeoutMs: 2000 })
    assert.equal(matched.text, 'V=1.5')
    const two = await bridge.query('meter', 'TWO?', { expectLines: 2, timeoutMs: 2000 })
    assert.deepEqual(two.lines, ['first', 'second'])
    assert.equal(two.text, 'first\nsecond')
  })
})
