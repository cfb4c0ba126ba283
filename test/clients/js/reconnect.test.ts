import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { ConnectionLost, Frame, Gap, type ConnectOptions } from '../../../clients/js/src/index'
import { waitFor } from '../../helpers/wait'
import { Clients, MeterRig, take } from './helpers/rig'

// The bridge offers `resume` now; with server.replayFrames 0 it keeps nothing to replay, so a
// cut still loses frames, and the Gap naming them comes from the bridge.
describe('reconnecting (a bridge that keeps no frames to replay)', () => {
  let rig: MeterRig
  const clients = new Clients()
  const client = (options: ConnectOptions = {}) => clients.viaProxy(rig.headless.url, options)

  before(async () => {
    rig = await MeterRig.start({ replayFrames: 0 })
  })
  afterEach(() => clients.closeAll())
  after(() => rig?.stop())

  test('frames missed during a cut come as one Gap naming them, then frames again', async () => {
    const { bridge, events, reconnected, proxy } = await client()
    const stream = bridge.stream('meter')
    await stream.ready
    const witness = await clients.witness(rig.headless.url)

    await rig.meter.write('before\n')
    const [before] = await take(stream, 1)
    assert.ok(before instanceof Frame)
    proxy.down()
    await waitFor(() => events.some((e) => e.state === 'reconnecting'), { what: 'the drop' })
    await rig.meter.write('lost 1\nlost 2\n')
    const lost2 = await witness.nextMessage('data', (m) => m.data === 'lost 2')
    const lost1 = await witness.nextMessage('data', (m) => m.data === 'lost 1')
    const seen = events.length
    proxy.up()
    await reconnected(seen)
    await bridge.ports() // answered after the subscribe sent on reconnecting
    await rig.meter.write('after\n')

    const [gap, frame] = await take(stream, 2)
    assert.deepEqual(
      { ...gap },
      { type: 'gap', port: 'meter', fromSeq: lost1.seq, toSeq: lost2.seq, restarted: false },
    )
    assert.equal(lost1.seq, before.seq + 1)
    assert.ok(frame instanceof Frame)
    assert.equal(frame.text, 'after')
    assert.equal(frame.seq, lost2.seq + 1)
    assert.equal(bridge.stats.reconnects, 1)
    assert.equal(bridge.stats.gaps, 1)
  })

  test('a query in flight at a cut fails with ConnectionLost and is never sent again', async () => {
    const { bridge, events, reconnected, proxy } = await client()
    const asked = rig.meter.lines.length
    const answer = bridge.query('meter', 'MEAS:VOLT?', { timeoutMs: 30_000 }).catch((e) => e)
    await rig.meter.waitForLine('MEAS:VOLT?')
    const seen = events.length
    proxy.cut()
    const error = await answer
    assert.ok(error instanceof ConnectionLost, String(error))
    assert.match(error.message, /may or may not have received/)
    await rig.meter.write('V=1.000\n') // ends the bridge's wait for the lost client's answer
    await reconnected(seen)
    await bridge.write('meter', 'marker')
    await rig.meter.waitForLine('marker')
    assert.deepEqual(rig.meter.lines.slice(asked), ['MEAS:VOLT?', 'marker'])
  })

  test('a request made while reconnecting is sent once the connection is back', async () => {
    const { bridge, events, proxy } = await client()
    proxy.down()
    await waitFor(() => !bridge.connected && events.some((e) => e.state === 'reconnecting'), {
      what: 'the drop',
    })
    const written = bridge.write('meter', 'sent after the cut')
    proxy.up()
    assert.equal(await written, 19)
    await rig.meter.waitForLine('sent after the cut')
  })

  test('a request that cannot wait for the connection any longer fails with ConnectionLost', async () => {
    const { bridge, events, proxy } = await client({ requestWaitMs: 100 })
    proxy.down()
    await waitFor(() => events.some((e) => e.state === 'reconnecting'), { what: 'the drop' })
    await assert.rejects(bridge.write('meter', 'never sent'), /not connected within 100 ms/)
  })

  test('a connection that stops carrying bytes is noticed by the heartbeat', async () => {
    const { bridge, events, reconnected, proxy } = await client({ heartbeatMs: 100 })
    const stream = bridge.stream('meter')
    await stream.ready
    const seen = events.length
    proxy.freeze()
    await waitFor(() => events.slice(seen).some((e) => e.state === 'reconnecting'), {
      what: 'the heartbeat to give up',
      timeoutMs: 10_000,
    })
    const drop = events.slice(seen).find((e) => e.state === 'reconnecting')!
    assert.match(drop.state === 'reconnecting' ? drop.error.message : '', /no answer for 200 ms/)
    proxy.up()
    await reconnected(seen)
    await bridge.ports()
    await rig.meter.write('after the freeze\n')
    const items = await take(stream, 1)
    assert.equal(String(items.at(-1)), 'after the freeze')
  })

  test('with reconnect off, a drop ends streams with ConnectionLost', async () => {
    const { bridge, events, proxy } = await client({ reconnect: false })
    const stream = bridge.stream('meter')
    await stream.ready
    proxy.cut()
    await assert.rejects(stream.next(), ConnectionLost)
    assert.deepEqual(
      events.map((e) => e.state),
      ['closed'],
    )
    assert.equal(proxy.accepted, 1, 'no second attempt')
    await assert.rejects(bridge.write('meter', 'x'), ConnectionLost)
  })

  test('maxAttempts gives up after that many failed attempts', async () => {
    const { bridge, events, proxy } = await client({
      reconnect: { initialDelayMs: 10, maxAttempts: 3 },
    })
    const stream = bridge.stream('meter')
    proxy.down()
    await assert.rejects(stream.next(), ConnectionLost)
    assert.deepEqual(
      events.map((e) => (e.state === 'reconnecting' ? e.attempt : e.state)),
      [1, 2, 3, 'closed'],
    )
    assert.equal(bridge.stats.errors, 3, 'each failed attempt')
  })

  test('a bridge killed and started again on the same port: restart Gap, then data within 1 s of it listening', async (t) => {
    const { bridge, events } = await clients.direct(rig.headless.url)
    const stream = bridge.stream('meter')
    await stream.ready
    // A meter that streams: it talks all along, while the bridge is down too.
    let n = 0
    const talk = setInterval(() => void rig.meter.write(`line ${++n}\n`).catch(() => {}), 20)
    try {
      const [before] = await take(stream, 1)
      assert.ok(before instanceof Frame)
      const crashed = Date.now()
      await rig.headless.kill('SIGKILL')
      // Down long enough for five attempts: a backoff doubling from 0.25 s would wait 3-4 s now.
      await waitFor(() => events.filter((e) => e.state === 'reconnecting').length >= 5, {
        what: 'five attempts while the bridge is down',
        timeoutMs: 20_000,
      })
      await rig.headless.restart()
      const listening = Date.now()
      // Frames read before the crash come first; then the restart Gap (and a Gap for frames the
      // new bridge read before this client was back), then the first frame after the restart.
      let last = before
      let restart: Gap | undefined
      let frame: Frame | undefined
      while (!frame) {
        const [item] = await take(stream, 1)
        if (item instanceof Gap) restart ??= item
        else if (!restart) last = item as Frame
        else frame = item as Frame
      }
      const dataMs = Date.now() - listening
      const backoff = events.filter((e) => e.state === 'reconnecting').map((e) => e.delayMs)

      // The new server numbers from 1 again; its epoch says it restarted.
      assert.deepEqual({ ...restart }, { ...new Gap('meter', last.seq + 1, null, true) })
      t.diagnostic(
        `down ${listening - crashed} ms; retry delays ${backoff.join(', ')} ms; first frame ` +
          `${dataMs} ms after the restarted bridge printed "listening"`,
      )
      assert.ok(dataMs <= 1000, `data ${dataMs} ms after the bridge was back`)
    } finally {
      clearInterval(talk)
    }
  })
})
