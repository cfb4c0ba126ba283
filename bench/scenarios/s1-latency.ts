import { BENCH_PREFIX, startSubscriber, uplinkSettings, withBroker } from '../bench-broker'
import { PORT_ID, withRig, type Rig } from '../bench-rig'
import { waitDelivered } from '../client-group'
import {
  deliveryMetrics,
  round,
  type Metrics,
  type Scenario,
  type ScenarioContext,
} from '../scenario'

const CLIENTS = 10
const RATE = 1000
const LINE_BYTES = 64

/** S1: 1,000 lines/s to 10 clients: p50/p99/max, lost, out of order. */
export const s1Latency: Scenario = {
  id: 'S1',
  title: `latency: ${RATE} lines/s, ${CLIENTS} clients`,
  run: (ctx) => withRig(ctx, (rig) => measureLatency(rig, ctx)),
}

/**
 * S1 with the MQTT uplink on (issue 12): the same WebSocket clients while every frame also goes
 * to Mosquitto and on to a subscriber. Compared with the bridge's own S1 of the same run.
 */
export const s1WithUplink: Scenario = {
  id: 'S1/mqtt',
  title: `latency: ${RATE} lines/s, ${CLIENTS} clients, MQTT uplink on`,
  targets: ['bridge'],
  run: (ctx) =>
    withBroker(async (broker) => {
      await startSubscriber(broker, `${BENCH_PREFIX}/ports/${PORT_ID}/rx`, ctx.epoch)
      return withRig({ ...ctx, extraSettings: uplinkSettings(broker) }, (rig) =>
        measureLatency(rig, ctx),
      )
    }),
}

/** S1's measurement on a rig already running (S11 runs it with recording on and off). */
export async function measureLatency(rig: Rig, ctx: ScenarioContext): Promise<Metrics> {
  const group = await rig.clients(CLIENTS)
  await group.connect(rig.streamUrl())
  const count = RATE * ctx.scale.s1Seconds
  await group.track(count)
  const sent = await rig.instrument.call(
    'stream',
    { count, ratePerSec: RATE, lineBytes: LINE_BYTES },
    ctx.scale.s1Seconds * 1000 + 60_000,
  )
  await waitDelivered(group, count, { stallMs: 2000, deadlineMs: 30_000 })
  const { latency, clients } = await group.report()
  return {
    clients: CLIENTS,
    lines: count,
    lineBytes: LINE_BYTES,
    sentLinesPerSec: round(count / ((sent.endNs - sent.startNs) / 1e9)),
    ...deliveryMetrics(latency, clients, count),
  }
}
