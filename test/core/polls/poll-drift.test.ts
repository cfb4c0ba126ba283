import assert from 'node:assert/strict'
import { performance } from 'node:perf_hooks'
import { after, before, describe, test } from 'node:test'
import type { ServerMessage } from '../../../common/protocol'
import { startEngine } from '../../helpers/engine-fixture'
import { placeInSlots, quantile } from '../../helpers/poll-slots'
import { ScriptedInstrument } from '../../helpers/scripted-instrument'
import { SocatPair } from '../../helpers/socat-pair'
import { TestClient } from '../../helpers/ws-client'

const SECONDS = 30
/** Two ports at once, each with its own instrument: a meter asked by a client too, and a scale. */
const POLLS = [
  { port: 'meter', name: 'a', command: 'A?', intervalMs: 20, expect: '^A=' },
  { port: 'meter', name: 'b', command: 'B?', intervalMs: 50, expect: '^B=' },
  { port: 'scale', name: 'w', command: 'W?', intervalMs: 20, expect: '^W=' },
]
/*
 * Bounds that hold on a loaded machine. Idle, a poll skips next to nothing and its commands
 * arrive within a few ms of their slots (bench S10). This test runs the engine, both instruments
 * and both clients in one process, on 2 cores shared with other test runs: at a load average of
 * 14 it measured, for a (20 ms, behind the client's back-to-back queries and b): 28 % of ticks
 * skipped, 13 % of commands later than one interval; b (50 ms): 13 %, 0; w (20 ms, alone on its
 * port): 21 %, 0. A tick is skipped when its previous reply is still out (each round trip waits
 * for two processes to be scheduled); a command is late when it waits for the client's query in
 * progress on the line (one at a time, by design), and the schedule's start is known only to
 * within the time startPoll took to be confirmed (2-14 ms there), which counts against it. Half
 * the ticks skipped, or a quarter of the commands late, is a poll that fell behind at any load.
 */
const MAX_SKIPPED_SHARE = 0.5
const MAX_LATE_SHARE = 0.25

/**
 * Done-when of issue 8: polls at 20 and 50 ms on two ports at once, beside a client's queries,
 * on instruments that also stream, for 30 s: no answer reaches the wrong asker, and each command
 * reaches its instrument in its slot of the schedule (start + k × interval), timed at the
 * instrument's end of the pty: at most one per slot, and every slot accounted for.
 */
describe(`polls at 20 and 50 ms on two ports beside a querying client, for ${SECONDS} s`, () => {
  const pairs = { meter: new SocatPair('drift-meter'), scale: new SocatPair('drift-scale') }
  const devices = new Map<string, ScriptedInstrument>()
  let bridge: Awaited<ReturnType<typeof startEngine>>
  let watcher: TestClient
  let asker: TestClient

  before(async () => {
    await Promise.all([pairs.meter.plug(), pairs.scale.plug()])
    bridge = await startEngine({
      ports: [
        { id: 'meter', path: pairs.meter.a, baudRate: 115200 },
        { id: 'scale', path: pairs.scale.a, baudRate: 115200 },
      ],
    })
    await Promise.all([bridge.engine.openPort('meter'), bridge.engine.openPort('scale')])
    const answer = (line: string, n: number) => {
      const poll = /^([ABW])\?$/.exec(line)
      if (poll) return `${poll[1]}=${n}`
      return /^Q\d+\?$/.test(line) ? line.slice(0, -1) : undefined
    }
    devices.set('meter', await ScriptedInstrument.open(pairs.meter.b, answer, { delayMs: 2 }))
    devices.set('scale', await ScriptedInstrument.open(pairs.scale.b, answer, { delayMs: 2 }))
    watcher = await TestClient.connect(`${bridge.url}/ws`)
    asker = await TestClient.connect(`${bridge.url}/ws`)
    await Promise.all([watcher.nextMessage('hello'), asker.nextMessage('hello')])
  })
  after(async () => {
    await Promise.all([watcher?.close(), asker?.close()])
    for (const device of devices.values()) await device.close()
    await bridge?.stop()
    await Promise.all([pairs.meter.dispose(), pairs.scale.dispose()])
  })

  test('0 misrouted answers; at most one command per slot at the instrument, every slot accounted for', async (t) => {
    watcher.send({ type: 'subscribe', ports: ['meter', 'scale'] })
    await watcher.nextMessage('subscribed')
    devices.get('meter')!.stream(100, (n) => `T=${n}`)
    devices.get('scale')!.stream(100, (n) => `G=${n}`)
    // The schedule starts when the bridge takes startPoll: after it was sent, before its answer.
    const started = new Map<string, { sent: number; confirmed: number }>()
    for (const poll of POLLS) {
      const sent = performance.now()
      watcher.send({ type: 'startPoll', ...poll })
      await watcher.nextMessage('pollStarted', (m) => m.name === poll.name)
      started.set(poll.name, { sent, confirmed: performance.now() })
    }

    const end = performance.now() + SECONDS * 1000
    let queries = 0
    let misrouted = 0
    while (performance.now() < end) {
      const id = ++queries
      asker.send({ type: 'query', port: 'meter', data: `Q${id}?`, expect: '^Q\\d+$', id })
      const answer = await asker.next(
        (r) => {
          const m = JSON.parse(r.data) as ServerMessage & { id?: unknown }
          return m.id === id ? m : undefined
        },
        { from: Math.max(0, asker.received.length - 5), timeoutMs: 10_000 },
      )
      if (answer.type !== 'reply' || answer.data !== `Q${id}`) misrouted += 1
    }
    const readAt = performance.now()
    const infos = bridge.engine.listPorts()
    for (const device of devices.values()) device.stopStreaming()

    const data = watcher
      .messages()
      .filter((m): m is Extract<ServerMessage, { type: 'data' }> => m.type === 'data')
    for (const m of data) {
      const from = /^([ABWQTG])/.exec(m.data)?.[1]
      const asked = from === 'A' || from === 'B' || from === 'W' ? from.toLowerCase() : undefined
      if (asked !== m.poll) misrouted += 1
      if (asked && POLLS.find((p) => p.name === asked)!.port !== m.port) misrouted += 1
    }
    assert.equal(misrouted, 0, 'every answer went to whoever asked, and only there')
    assert.ok(queries > 100, `${queries} queries`)

    for (const poll of POLLS) {
      const { stats } = infos
        .find((p) => p.id === poll.port)!
        .polls!.find((p) => p.name === poll.name)!
      const { sent, confirmed } = started.get(poll.name)!
      const arrivals = devices
        .get(poll.port)!
        .commands(poll.command)
        .map((a) => a.at)
        .filter((at) => at <= readAt)
      const slots = placeInSlots(arrivals, sent, poll.intervalMs, readAt)
      const late = (q: number) => quantile(slots.lateness, q).toFixed(1)
      t.diagnostic(
        `${poll.port}/${poll.name} every ${poll.intervalMs} ms: ${arrivals.length} commands in ` +
          `${slots.slots} slots (${slots.empty} empty; the poll counted ${stats.sent} sent, ` +
          `${stats.skipped} skipped, ${stats.timeouts} timeouts); after the slot's start at the ` +
          `instrument p50 ${late(0.5)} ms, p99 ${late(0.99)} ms; ${slots.shared} later than one ` +
          `interval (start known to ${(confirmed - sent).toFixed(1)} ms); ${queries} client queries`,
      )
      assert.equal(slots.early, 0, `${poll.name}: no command before its first slot`)
      // Every slot is accounted for: its command arrived in it, or the poll counted it skipped,
      // or its command came more than one interval late (into the next slot, which then holds
      // two). A poll timed from its replies leaves slots empty that it never counted.
      assert.ok(
        Math.abs(slots.empty - stats.skipped - slots.shared) <= 2,
        `${poll.name}: ${slots.empty} empty slots, ${stats.skipped} skipped, ${slots.shared} late`,
      )
      assert.ok(
        slots.shared <= MAX_LATE_SHARE * arrivals.length,
        `${poll.name}: ${slots.shared} of ${arrivals.length} commands more than one interval late`,
      )
      assert.ok(
        stats.skipped <= MAX_SKIPPED_SHARE * slots.slots,
        `${poll.name}: ${stats.skipped} of ${slots.slots} ticks skipped`,
      )
      assert.ok(
        arrivals.length === stats.sent || arrivals.length === stats.sent - 1,
        'each one asked arrived once',
      )
    }
  })
})
