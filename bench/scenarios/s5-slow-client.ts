import { CLIENT_BUFFER_BYTES, withRig } from '../bench-rig'
import { waitDelivered } from '../client-group'
import type { LatencyHistogram } from '../latency-histogram'
import { memory, RssSampler } from '../proc-stats'
import { deliveryMetrics, KiB, MiB, round, type Metrics, type Scenario } from '../scenario'

const READERS = 10
const RATE = 1000
/** S1's rate and reader count with larger lines, so the readers' p99 compares with S1's. */
const LINE_BYTES = 2048
/** The second phase is S1's traffic: what the readers see right after the slow client's push. */
const CALM_LINE_BYTES = 64
const SLOW = 0

/**
 * S5: one client stops reading while ten read and 20 MiB is pushed; then, with it still not
 * reading, 1,000 short lines a second for 10 s (issue 7: the others stalled in that phase).
 */
export const s5SlowClient: Scenario = {
  id: 'S5',
  title: `slow client: 1 paused, ${READERS} reading, ${LINE_BYTES}-byte lines at ${RATE}/s, then ${CALM_LINE_BYTES}-byte`,
  run: (ctx) =>
    withRig(ctx, async (rig) => {
      const group = await rig.clients(READERS + 1, 6)
      await group.connect(rig.streamUrl())
      const count = Math.floor(ctx.scale.s5Bytes / LINE_BYTES)
      const calmCount = RATE * ctx.scale.s5CalmSeconds
      await group.track(count + calmCount)
      await group.pause(SLOW)
      const pid = rig.target.pid
      const rssBefore = memory(pid).rssKiB
      const sampler = new RssSampler(pid)
      let pushed: Awaited<ReturnType<typeof group.report>>
      let calm: LatencyHistogram
      const ignore = new Set([SLOW])
      try {
        await rig.instrument.call(
          'stream',
          { count, ratePerSec: RATE, lineBytes: LINE_BYTES },
          (count / RATE) * 1000 + 60_000,
        )
        await waitDelivered(group, count, { stallMs: 3000, deadlineMs: 60_000, ignore })
        pushed = await group.report()
        await group.resetLatency()
        await rig.instrument.call(
          'stream',
          { count: calmCount, ratePerSec: RATE, lineBytes: CALM_LINE_BYTES, firstSeq: count },
          ctx.scale.s5CalmSeconds * 1000 + 60_000,
        )
        await waitDelivered(group, count + calmCount, { stallMs: 3000, deadlineMs: 60_000, ignore })
        calm = (await group.report()).latency
      } finally {
        sampler.stop()
      }
      const rssAfterPush = memory(pid).rssKiB

      // Let the slow client read again and see what it was kept, told, or closed with.
      await group.resume(SLOW)
      await waitSlowClientSettled(group)
      const rssAfterDrain = memory(pid).rssKiB
      const { clients } = await group.report()
      const slow = clients[SLOW]
      const readers = clients.filter((_, i) => i !== SLOW)
      const growthMiB = (sampler.peakKiB - rssBefore) / KiB
      const total = count + calmCount
      return {
        readers: READERS,
        megabytes: round((count * LINE_BYTES) / 1e6),
        rssBeforeMiB: round(rssBefore / KiB),
        peakRssMiB: round(sampler.peakKiB / KiB),
        growthMiB: round(growthMiB),
        growthLimitMiB: round(CLIENT_BUFFER_BYTES / MiB + 16),
        rssAfterPushMiB: round(rssAfterPush / KiB),
        rssAfterDrainMiB: round(rssAfterDrain / KiB),
        slowOutcome: slow ? outcome(slow, total) : 'missing',
        slowReceived: slow?.unique ?? null,
        slowLaggedMessages: slow?.laggedMessages ?? null,
        slowDroppedReported: slow?.droppedReported ?? null,
        slowCloseCode: slow?.closeCode ?? null,
        ...othersMetrics(deliveryMetrics(pushed.latency, readers, total)),
        othersCalmP50Ms: round(calm.percentileMs(50)),
        othersCalmP99Ms: round(calm.percentileMs(99)),
        othersCalmP999Ms: round(calm.percentileMs(99.9)),
        othersCalmMaxMs: round(calm.maxMs()),
      }
    }),
}

function outcome(
  slow: { unique: number; laggedMessages: number; closeCode: number | null },
  count: number,
): string {
  if (slow.closeCode === 1013) return `closed 1013 after ${slow.unique}/${count} lines`
  if (slow.laggedMessages > 0) return `told lagged, got ${slow.unique}/${count} lines`
  if (slow.closeCode !== null) return `closed ${slow.closeCode}, got ${slow.unique}/${count}`
  if (slow.unique === count) return 'kept everything (buffered in the server)'
  return `got ${slow.unique}/${count} lines, not told`
}

/** The readers' delivery during the push; `lost` counts both phases. */
function othersMetrics(d: Metrics): Metrics {
  return {
    othersP50Ms: d.p50Ms ?? null,
    othersP99Ms: d.p99Ms ?? null,
    othersMaxMs: d.maxMs ?? null,
    othersLost: d.lost ?? null,
    othersOutOfOrder: d.outOfOrder ?? null,
  }
}

/** Until the slow client is closed or has received nothing new for 2 s (at most 60 s). */
async function waitSlowClientSettled(group: {
  progress(): Promise<{ unique: number[]; closed: number }>
}): Promise<void> {
  const deadline = Date.now() + 60_000
  let last = -1
  let lastChange = Date.now()
  while (Date.now() < deadline) {
    const { unique, closed } = await group.progress()
    const got = unique[SLOW] ?? 0
    if (closed > 0) return
    if (got !== last) {
      last = got
      lastChange = Date.now()
    } else if (Date.now() - lastChange > 2000) return
    await new Promise((r) => setTimeout(r, 100))
  }
}
