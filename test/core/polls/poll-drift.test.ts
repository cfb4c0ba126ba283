import assert from 'node:assert/strict'
import { performance } from 'node:perf_hooks'
import { after, before, describe, test } from 'node:test'
import { scheduleOffsets } from '../../../bench/schedule-lateness'
import type { ServerMessage } from '../../../common/protocol'
import { startScriptedBridge, type ScriptedBridge } from '../../helpers/scripted-bridge'
import { TestClient } from '../../helpers/ws-client'

const SECONDS = 30
const POLLS = [
  { name: 'a', command: 'A?', intervalMs: 20, expect: '^A=' },
  { name: 'b', command: 'B?', intervalMs: 50, expect: '^B=' },
]

/**
 * Done-when of issue 8: polls at 20 and 50 ms alongside a client's queries, on an instrument that
 * also streams, for 30 s: no answer reaches the wrong asker, and the schedules keep to time.
 */
describe(`polls at 20 and 50 ms beside a querying client, for ${SECONDS} s`, () => {
  let rig: ScriptedBridge
  let watcher: TestClient
  let asker: TestClient

  before(async () => {
    rig = await startScriptedBridge(
      'drift',
      { id: 'meter', baudRate: 115200 },
      (line, n) => {
        const poll = /^([AB])\?$/.exec(line)
        if (poll) return `${poll[1]}=${n}`
        return /^Q\d+\?$/.test(line) ? line.slice(0, -1) : undefined
      },
      { delayMs: 2 },
    )
    watcher = await TestClient.connect(`${rig.bridge.url}/ws`)
    asker = await TestClient.connect(`${rig.bridge.url}/ws`)
    await Promise.all([watcher.nextMessage('hello'), asker.nextMessage('hello')])
  })
  after(async () => {
    await Promise.all([watcher.close(), asker.close()])
    await rig.stop()
  })

  test('0 misrouted answers; every tick of the schedule sent or skipped, none lost or added', async (t) => {
    watcher.send({ type: 'subscribe', ports: ['meter'] })
    await watcher.nextMessage('subscribed')
    rig.meter.stream(100, (n) => `T=${n}`)
    const started = new Map<string, number>()
    for (const poll of POLLS) {
      watcher.send({ type: 'startPoll', port: 'meter', ...poll })
      await watcher.nextMessage('pollStarted', (m) => m.name === poll.name)
      started.set(poll.name, performance.now())
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
    const ports = rig.bridge.engine.listPorts()[0]!.polls!
    const readAt = performance.now()
    rig.meter.stopStreaming()

    const data = watcher
      .messages()
      .filter((m): m is Extract<ServerMessage, { type: 'data' }> => m.type === 'data')
    for (const m of data) {
      const from = /^([ABQT])/.exec(m.data)?.[1]
      const tagged = m.poll === 'a' ? 'A' : m.poll === 'b' ? 'B' : undefined
      if ((from === 'A' || from === 'B' ? from : undefined) !== tagged) misrouted += 1
    }
    assert.equal(misrouted, 0, 'every answer went to whoever asked, and only there')
    assert.ok(queries > 100, `${queries} queries`)

    for (const poll of POLLS) {
      const { stats } = ports.find((p) => p.name === poll.name)!
      const elapsed = readAt - started.get(poll.name)!
      const scheduled = Math.floor(elapsed / poll.intervalMs)
      const ticks = stats.sent + stats.skipped
      const arrivals = rig.meter.commands(poll.command).map((a) => a.at)
      const off = scheduleOffsets(arrivals, poll.intervalMs)
        .map(Math.abs)
        .sort((x, y) => x - y)
      const at = (q: number) => off[Math.floor(q * (off.length - 1))]!.toFixed(1)
      t.diagnostic(
        `${poll.name}: ${ticks} ticks for ${scheduled} scheduled (${stats.sent} sent, ` +
          `${stats.skipped} skipped, ${stats.timeouts} timeouts); off the schedule at the instrument ` +
          `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; ${queries} client queries`,
      )
      // The schedule's count of ticks is the wall clock's, to within one interval, after 30 s: a
      // poll timed from its replies would have lost one tick per interval + round trip.
      assert.ok(Math.abs(ticks - scheduled) <= 1, `${poll.name}: ${ticks} vs ${scheduled}`)
      assert.ok(stats.sent > scheduled / 2, `${poll.name}: most ticks were asked`)
      assert.ok(
        arrivals.length === stats.sent || arrivals.length === stats.sent - 1,
        'each one asked arrived once',
      )
    }
  })
})
