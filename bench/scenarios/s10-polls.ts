import WebSocket from 'ws'
import type { PortInfo, ServerMessage } from '../../common/protocol'
import { withRig, type Rig } from '../bench-rig'
import type { BarePollerApi } from '../child-api'
import { forkChild } from '../child-rpc'
import { onCleanup } from '../cleanup-stack'
import { LatencyHistogram, type HistogramData } from '../latency-histogram'
import { scheduleOffsets } from '../schedule-lateness'
import { round, type Metrics, type Scenario } from '../scenario'

const POLLS = 10
const INTERVAL_MS = 50
const TAG = 'poll'

/**
 * S10: 10 polls at 20 Hz on one port, plus a client querying the same port without pause. Tick
 * jitter is measured at the instrument (how far each question arrives from its schedule). The
 * baseline is a program with the port to itself running the same 10 schedules, nothing else.
 */
export const s10Polls: Scenario = {
  id: 'S10',
  title: `${POLLS} polls at ${1000 / INTERVAL_MS} Hz on one port, plus a client querying`,
  run: (ctx) =>
    withRig({ ...ctx, manualStart: true }, async (rig) => {
      const seconds = ctx.scale.s10Seconds
      if (ctx.target === 'baseline') {
        const poller = await forkChild<BarePollerApi>('./bare-poller.ts', [ctx.epoch])
        onCleanup('bare poller', () => poller.stop())
        await rig.instrument.call('recordArrivals', { prefix: TAG })
        const run = { path: rig.serialPath, polls: POLLS, intervalMs: INTERVAL_MS, seconds }
        const { sent, skipped } = await poller.call('run', run, seconds * 1000 + 30_000)
        return {
          ...jitter(await rig.instrument.call('arrivals', {})),
          skippedPct: round((100 * skipped) / Math.max(1, sent + skipped)),
          misrouted: null,
        }
      }
      await rig.launch()
      return bridgeRun(rig, seconds)
    }),
}

async function bridgeRun(rig: Rig, seconds: number): Promise<Metrics> {
  const watcher = await Watcher.open(rig.controlUrl(), rig.portId)
  onCleanup('S10 watcher', () => watcher.close())
  await rig.instrument.call('recordArrivals', { prefix: TAG })
  const started = performance.now()
  for (let i = 0; i < POLLS; i++) {
    await watcher.request({
      type: 'startPoll',
      port: rig.portId,
      name: `${TAG}${i}`,
      command: `Q ${TAG}${i} 0 0`,
      intervalMs: INTERVAL_MS,
      timeoutMs: 1000,
    })
  }
  const client = await rig.clients(1)
  await client.connect(rig.controlUrl())
  // As many queries as the polls leave room for, one after another, for about `seconds`.
  let queries = { answered: 0, misrouted: 0, timeouts: 0, errors: 0 }
  const latencies: HistogramData[] = []
  const end = started + seconds * 1000
  while (performance.now() < end) {
    const batch = await client.query({
      via: 'control',
      port: rig.portId,
      perClient: 50,
      timeoutMs: 2000,
    })
    queries = {
      answered: queries.answered + batch.result.answered,
      misrouted: queries.misrouted + batch.result.misrouted,
      timeouts: queries.timeouts + batch.result.timeouts,
      errors: queries.errors + batch.result.errors,
    }
    latencies.push(batch.latency.toData())
  }
  const ports = (await watcher.request({ type: 'list' })) as { ports: PortInfo[] }
  const elapsed = performance.now() - started
  const polls = ports.ports.find((p) => p.id === rig.portId)?.polls ?? []
  const ticks = polls.map((p) => p.stats.sent + p.stats.skipped)
  const skipped = polls.reduce((n, p) => n + p.stats.skipped, 0)
  const timeouts = polls.reduce((n, p) => n + p.stats.timeouts, 0)
  const scheduled = Math.floor(elapsed / INTERVAL_MS)
  return {
    ...jitter(await rig.instrument.call('arrivals', {})),
    skippedPct: round(
      (100 * skipped) /
        Math.max(
          1,
          ticks.reduce((a, b) => a + b, 0),
        ),
    ),
    // Ticks (sent + skipped) against the schedule after the run: off by one at most, or it drifts.
    tickErrorMax: Math.max(...ticks.map((t) => Math.abs(t - scheduled))),
    misrouted: queries.misrouted + watcher.misrouted,
    pollTimeouts: timeouts,
    clientQueries: queries.answered,
    clientTimeouts: queries.timeouts,
    clientP99Ms: round(LatencyHistogram.from(latencies).percentileMs(99)),
  }
}

/** p50/p99/max of how far the polls' questions arrived from their schedules, all polls together. */
function jitter(arrivals: Record<string, number[]>): Metrics {
  const offsets = Object.values(arrivals)
    .flatMap((ns) =>
      scheduleOffsets(
        ns.map((t) => t / 1e6),
        INTERVAL_MS,
      ),
    )
    .map(Math.abs)
    .sort((a, b) => a - b)
  const at = (q: number) =>
    offsets.length === 0 ? null : round(offsets[Math.floor(q * (offsets.length - 1))]!)
  return {
    jitterP50Ms: at(0.5),
    jitterP99Ms: at(0.99),
    jitterMaxMs: at(1),
    questions: offsets.length,
  }
}

/**
 * A control client of the orchestrator's own: starts the polls and checks every poll reply
 * that reaches subscribers (a reply tagged `pollN` must be the answer to `Q pollN 0 0`).
 */
class Watcher {
  misrouted = 0
  private nextId = 1
  private readonly waiting = new Map<number, (m: ServerMessage) => void>()

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as ServerMessage & { id?: unknown }
      if (m.type === 'data') {
        const tagged = m.poll !== undefined
        const fromPoll = m.data.startsWith(`A ${TAG}`)
        if (tagged !== fromPoll || (tagged && m.data !== `A ${m.poll} 0 0`)) this.misrouted += 1
        return
      }
      const done = typeof m.id === 'number' ? this.waiting.get(m.id) : undefined
      if (done) done(m)
    })
  }

  static async open(url: string, port: string): Promise<Watcher> {
    const ws = new WebSocket(url)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const watcher = new Watcher(ws)
    await watcher.request({ type: 'subscribe', ports: [port] })
    return watcher
  }

  request(message: object): Promise<ServerMessage> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer to ${JSON.stringify(message)}`)),
        10_000,
      )
      this.waiting.set(id, (m) => {
        clearTimeout(timer)
        this.waiting.delete(id)
        if (m.type === 'error') reject(new Error(`${m.code}: ${m.message}`))
        else resolve(m)
      })
      this.ws.send(JSON.stringify({ ...message, id }))
    })
  }

  close(): void {
    this.ws.close()
  }
}
