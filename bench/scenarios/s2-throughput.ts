import { withRig, type Rig } from '../bench-rig'
import { waitDelivered } from '../client-group'
import {
  deliveryMetrics,
  round,
  type Metrics,
  type Scenario,
  type ScenarioContext,
} from '../scenario'

const LINE_BYTES = 64

/** S2: 64-byte lines as fast as the pty takes them: MB/s delivered per client, lost. */
export function s2Throughput(clientCount: number): Scenario {
  return {
    id: `S2/${clientCount}`,
    title: `throughput: ${LINE_BYTES}-byte lines flat out, ${clientCount} client(s)`,
    run: (ctx) => withRig(ctx, (rig) => measureThroughput(rig, ctx, clientCount)),
  }
}

/** S2's measurement on a rig already running (S11 runs it with recording on and off). */
export async function measureThroughput(
  rig: Rig,
  ctx: ScenarioContext,
  clientCount: number,
): Promise<Metrics> {
  // Five clients per process: at these rates one process for all ten would be the bottleneck.
  const group = await rig.clients(clientCount, 5)
  await group.connect(rig.streamUrl())
  const count = Math.floor(ctx.scale.s2Bytes / LINE_BYTES)
  await group.track(count)
  const sent = await rig.instrument.call(
    'stream',
    { count, ratePerSec: 0, lineBytes: LINE_BYTES },
    300_000,
  )
  await waitDelivered(group, count, { stallMs: 3000, deadlineMs: 300_000 })
  const { latency, clients } = await group.report()
  // MB/s (10^6 bytes) from the instrument's first write to the client's last line.
  const rates = clients.map((c) =>
    c.lastNs > sent.startNs ? (c.bytes / (c.lastNs - sent.startNs)) * 1e3 : 0,
  )
  return {
    clients: clientCount,
    megabytes: round(sent.bytes / 1e6),
    lineBytes: LINE_BYTES,
    mbPerSecPerClient: round(rates.reduce((a, b) => a + b, 0) / rates.length),
    minMbPerSec: round(Math.min(...rates)),
    ptyMbPerSec: round((sent.bytes / (sent.endNs - sent.startNs)) * 1e3),
    ...deliveryMetrics(latency, clients, count),
  }
}
