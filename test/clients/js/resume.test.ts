import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { Frame, Gap, type StreamItem } from '../../../clients/js/src/index'
import { waitFor } from '../../helpers/wait'
import { Clients, MeterRig, take } from './helpers/rig'

// The protocol addition "resume" (issue 9, docs/protocol.md "Resume after a cut"):
// hello.features lists "resume", hello.epoch changes on every start, and subscribe accepts
// since+epoch.

const RING = 10

const describeItem = (item: StreamItem) =>
  item instanceof Frame ? `${item.seq}:${item.text}` : String(item)

describe('resume (server feature "resume")', () => {
  let rig: MeterRig
  const clients = new Clients()

  /** A client through a proxy that can be cut, and a witness that sees every seq. */
  async function cutClient() {
    const client = await clients.viaProxy(rig.headless.url)
    const { hello } = client.bridge
    assert.ok(hello.features?.includes('resume'), 'hello.features lists "resume"')
    assert.equal(typeof hello.epoch, 'string', 'hello has an epoch')
    return { ...client, witness: await clients.witness(rig.headless.url) }
  }

  before(async () => {
    rig = await MeterRig.start({ replayFrames: RING })
  })
  afterEach(() => clients.closeAll())
  after(() => rig?.stop())

  test('a cut while the bridge runs: every frame exactly once, in order, no gap', async () => {
    const { bridge, events, proxy, witness, reconnected } = await cutClient()
    const stream = bridge.stream('meter')
    await stream.ready
    // At most RING lines arrive during each cut, so the ring holds all of them.
    const lines = Array.from({ length: 18 }, (_, i) => `L${i + 1}`)
    const got: StreamItem[] = []
    // Two cuts: one after the first frames, one while lines are still being written.
    await rig.meter.write(lines.slice(0, 5).join('\n') + '\n')
    got.push(...(await take(stream, 5)))
    let seen = events.length
    proxy.down()
    await waitFor(() => events.slice(seen).some((e) => e.state === 'reconnecting'), {
      what: 'the first cut',
    })
    await rig.meter.write(lines.slice(5, 9).join('\n') + '\n')
    await witness.nextMessage('data', (m) => m.data === 'L9')
    proxy.up()
    await reconnected(seen)
    got.push(...(await take(stream, 4)))
    seen = events.length
    const writing = rig.meter.write(lines.slice(9).join('\n') + '\n')
    proxy.cut()
    await writing
    await reconnected(seen)
    got.push(...(await take(stream, lines.length - 9)))

    assert.deepEqual(
      got.map(describeItem),
      got.map((_, i) => `${(got[0] as Frame).seq + i}:${lines[i]}`),
    )
    assert.equal(bridge.stats.gaps, 0)
    assert.equal(bridge.stats.reconnects, 2)
  })

  test('frames the ring no longer holds: one Gap naming exactly them, then the rest', async () => {
    const { bridge, events, proxy, witness, reconnected } = await cutClient()
    const stream = bridge.stream('meter')
    await stream.ready
    await rig.meter.write('before\n')
    const [before] = await take(stream, 1)
    assert.ok(before instanceof Frame)
    const seen = events.length
    proxy.down()
    await waitFor(() => events.slice(seen).some((e) => e.state === 'reconnecting'), {
      what: 'the cut',
    })
    const missed = Array.from({ length: 3 * RING }, (_, i) => `M${i + 1}`)
    await rig.meter.write(missed.join('\n') + '\n')
    const last = await witness.nextMessage('data', (m) => m.data === missed.at(-1))
    proxy.up()
    await reconnected(seen)

    const items = await take(stream, 1 + RING)
    const oldestHeld = last.seq - RING + 1
    assert.deepEqual(
      { ...items[0] },
      { ...new Gap('meter', before.seq + 1, oldestHeld - 1, false) },
      `first: ${String(items[0])}`,
    )
    assert.deepEqual(
      items.slice(1).map(describeItem),
      missed.slice(-RING).map((text, i) => `${oldestHeld + i}:${text}`),
    )
    assert.equal(bridge.stats.gaps, 1)
  })

  test('a bridge restarted on its port: a restart Gap from the new epoch, then data', async (t) => {
    const { bridge } = await clients.direct(rig.headless.url)
    const firstEpoch = bridge.hello.epoch
    assert.ok(bridge.hello.features?.includes('resume'), 'hello.features lists "resume"')
    const stream = bridge.stream('meter')
    await stream.ready
    await rig.meter.write('before the restart\n')
    const [before] = await take(stream, 1)
    assert.ok(before instanceof Frame)

    const back = await rig.crashAndRestart()
    await waitFor(() => bridge.connected, { what: 'the reconnection', timeoutMs: 20_000 })
    assert.notEqual(bridge.hello.epoch, firstEpoch, 'a new epoch')
    await bridge.ports()
    await rig.meter.write('after the restart\n')
    const [gap, frame] = await take(stream, 2)
    const dataAfter = Date.now() - back
    t.diagnostic(`data ${dataAfter} ms after the bridge was back`)
    // Issue 9's "within 1 s of the bridge being back" is asserted in reconnect.test.ts, timed
    // from the restarted bridge's `listening` line with a streaming meter; here data is written
    // only once the client is back.
    assert.ok(dataAfter < 5000, `data ${dataAfter} ms after the bridge was back`)

    assert.deepEqual({ ...gap }, { ...new Gap('meter', before.seq + 1, null, true) })
    assert.ok(frame instanceof Frame)
    assert.deepEqual([frame.seq, frame.text], [1, 'after the restart'])
  })
})
